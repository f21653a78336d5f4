"""What the API answers and accepts that several routers share: errors, texts, ids, the published record's parts."""

from typing import Annotated, Any

from ninja import Field, Schema

# Texts never hold NUL (PostgreSQL refuses it), and ids fit the database's integers.
NO_NUL = r"^[^\x00]*$"
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


def bounded_text(max_length: int, *, min_length: int = 0, **options: Any) -> Any:
    return Field(min_length=min_length, max_length=max_length, pattern=NO_NUL, **options)


class Message(Schema):
    """An error: what went wrong, for a person to read."""

    detail: str


class Invalid(Schema):
    """Input refused (422): one entry per problem, `loc` naming where (e.g. ["query", "limit"], ["body", "url"])."""

    detail: list[dict[str, Any]]


ERRORS: dict[int, type[Schema]] = {401: Message, 422: Invalid, 429: Message}


# --- The published record's parts, as the public pages show them --------------------------------------


class Dated(Schema):
    date: str | None = Field(
        description="ISO date (Gregorian); a month or a year is given as its first day in its own calendar"
    )
    precision: str = Field(description="day, month, year or unknown")
    calendar: str = Field(
        description="gregorian or solar_hijri: the calendar the month or year is one of (the Solar Hijri month "
        "Mehr 1401 is date 2022-09-23, precision month: 23 September to 22 October 2022)"
    )
    note: str
    display: str = Field(description="For people, in the Gregorian calendar, e.g. “July 2022 (reported)”")


class Claimant(Schema):
    id: int | None = Field(description="The claimant's page and the `claimant` filter use it")
    name: str
    title: str
    kind: str


class Topic(Schema):
    name: str
    slug: str


class Rating(Schema):
    label: str
    description: str
    value: int | None
    best: int | None
    worst: int | None
    scale: str
    scale_slug: str | None


class Person(Schema):
    """A staff member as the byline names them."""

    id: int
    name: str
