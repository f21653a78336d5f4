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


register_converter(IdConverter, "id")
