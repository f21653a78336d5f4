import pytest

from claims.matching.index import Document

CLAIMS = [
    Document(1, "Iran has supplied drones to Russia for the war in Ukraine."),
    Document(2, "Iran's foreign minister said Tehran has not sold weapons or drones to be used against Ukraine."),
    Document(3, "The price of petrol rose by 40 percent in January."),
    Document(4, "Vaccines against measles cause autism in children."),
    Document(5, "The Eiffel Tower will be demolished next year."),
    Document(6, "Drinking hot water cures the coronavirus."),
    Document(7, "The city council banned bicycles from the old town."),
    Document(8, "ما هیچ سلاح و پهپادی برای استفاده در جنگ علیه اوکراین نفروخته‌ایم و نخواهیم فروخت", kind="quote"),
    Document(9, "قیمت نفت در بازار جهانی امروز افزایش یافت", kind="quote"),
]

# Unrelated claims, so that a score standing out from the rest means something (as on a real index).
SUBJECTS = ["The mayor", "A new study", "The central bank", "The health ministry", "A football club", "The army"]
EVENTS = [
    "raised taxes on small shops", "closed every public library", "found microplastics in tap water",
    "sold the national airline", "moved the capital to the coast", "cancelled the summer holidays",
]  # fmt: skip
FILLER = [Document(100 + i, f"{s} {e}.") for i, (s, e) in enumerate((s, e) for s in SUBJECTS for e in EVENTS)]


@pytest.fixture
def claims():
    return list(CLAIMS)
