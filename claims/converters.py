"""URL path converters. Imported by the URL modules, which register them once."""

from django.urls import register_converter

# The largest value of a 64-bit primary key (PostgreSQL bigint, SQLite integer).
MAX_ID = 2**63 - 1


class IdConverter:
    """A database id, 1 to MAX_ID. A larger number names no row: the URL does not match (404)
    rather than reaching the database, where SQLite cannot even bind it (OverflowError)."""

    regex = "[1-9][0-9]{0,18}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("id out of range")  # the pattern does not match
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class UnicodeSlugConverter:
    """A slug in any script: ASCII ones as before ("iran-sent-drones"), and Unicode letters and digits
    ("ایران-به-روسیه-پهپاد-نفروخته-است"), which browsers send percent-encoded and Django decodes before
    matching. reverse() percent-encodes them again, so every address we write is plain ASCII."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IdConverter, "id")
register_converter(UnicodeSlugConverter, "uslug")
