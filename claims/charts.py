"""Bar charts laid out for a template to draw as inline SVG: numbers in, geometry out.

The dashboard's charts (templates/components/chart_*.html) are drawn on the server, so the page needs
no script and the CSP stays strict: this module turns the numbers the selectors computed into
coordinates in a fixed viewBox (whole units), the template draws the rectangles and labels with CSS
classes for their colours, and the same numbers go into a table for screen readers.

For a right-to-left language (`rtl=True`) the charts are laid out mirrored — labels on the right, bars
growing leftwards, the weeks running right to left — while their text stays unmirrored: the template's
`text-anchor` start and end follow the page's direction.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

# The viewBox of every chart is WIDTH units wide; the SVG is scaled to its box by CSS.
WIDTH = 480
LABEL_WIDTH = 130  # room for a row's label, left of its bar
VALUE_ROOM = 40  # room for the total, right of the longest bar
ROW_HEIGHT = 22
ROW_GAP = 8
COLUMNS_HEIGHT = 150  # the tallest column
COLUMN_TOP = 16  # room for a value above its column
COLUMN_LABEL_ROOM = 20  # room for a label below the columns
COLUMN_GAP = 6


@dataclass(frozen=True)
class Segment:
    series: str  # the key of the series it belongs to
    css: str  # its colour's class: chart-<css>
    value: int
    x: int
    width: int


@dataclass(frozen=True)
class Row:
    key: str  # e.g. a state: its segment's colour when there is a single series
    label: str
    values: tuple[int, ...]  # one per series, in the series' order (the table's cells)
    total: int
    y: int
    text_y: int  # the baseline of the row's label and total
    total_x: int
    segments: tuple[Segment, ...]  # the non-empty ones, from the label outwards


@dataclass(frozen=True)
class Rows:
    """Horizontal bars, one per row, each stacked from its series' values."""

    rows: tuple[Row, ...]
    series: tuple[tuple[str, str], ...]  # (key, name), for the legend and the table's columns
    width: int
    height: int
    label_width: int
    label_x: int  # where each row's label ends (its anchor is the text's end)
    bar_height: int


def rows(
    data: Sequence[tuple[str, str, Sequence[int]]], series: Sequence[tuple[str, str]], *, rtl: bool = False
) -> Rows:
    """`data`: (key, label, a value for each of `series`) per row, drawn top to bottom. A segment's colour
    is its series' (chart-<series key>), or with a single series its row's (chart-<row key>). `rtl`: mirrored."""
    longest = max((sum(values) for _key, _label, values in data), default=0)
    scale = (WIDTH - LABEL_WIDTH - VALUE_ROOM) / longest if longest else 0
    laid_out = []
    for number, (row_key, label, values) in enumerate(data):
        y = number * (ROW_HEIGHT + ROW_GAP)
        x = LABEL_WIDTH
        segments = []
        for (key, _name), value in zip(series, values, strict=True):
            if value:
                width = max(1, round(value * scale))
                css = row_key if len(series) == 1 else key
                segments.append(Segment(series=key, css=css, value=value, x=x, width=width))
                x += width
        laid_out.append(
            Row(
                key=row_key,
                label=label,
                values=tuple(values),
                total=sum(values),
                y=y,
                text_y=y + ROW_HEIGHT * 3 // 4,
                total_x=x + 4,
                segments=tuple(segments),
            )
        )
    if rtl:
        laid_out = [
            replace(
                row,
                total_x=WIDTH - row.total_x,
                segments=tuple(replace(segment, x=WIDTH - segment.x - segment.width) for segment in row.segments),
            )
            for row in laid_out
        ]
    height = max(len(data) * (ROW_HEIGHT + ROW_GAP) - ROW_GAP, ROW_HEIGHT)
    label_x = LABEL_WIDTH - 6
    return Rows(
        rows=tuple(laid_out),
        series=tuple(series),
        width=WIDTH,
        height=height,
        label_width=LABEL_WIDTH,
        label_x=WIDTH - label_x if rtl else label_x,
        bar_height=ROW_HEIGHT,
    )


@dataclass(frozen=True)
class Column:
    label: str
    value: float | None  # None: nothing to show that week
    shown: str  # the value as written on the chart and in the table ("" for None)
    x: int
    y: int
    width: int
    height: int
    middle: int  # where the value and the label are centred


@dataclass(frozen=True)
class Columns:
    """Vertical columns, one per point, in reading order (left to right, or right to left)."""

    columns: tuple[Column, ...]
    width: int
    height: int
    baseline: int
    label_y: int


def columns(
    data: Sequence[tuple[str, float | None]], shown: Callable[[float], str] = str, *, rtl: bool = False
) -> Columns:
    """`data`: (label, value or None) per column; `shown` writes a value. `rtl`: mirrored (right to left)."""
    highest = max((value for _label, value in data if value is not None), default=0)
    scale = COLUMNS_HEIGHT / highest if highest else 0
    slot = WIDTH / max(len(data), 1)
    baseline = COLUMN_TOP + COLUMNS_HEIGHT
    laid_out = []
    for number, (label, value) in enumerate(data):
        height = round(value * scale) if value else 0
        if value and not height:
            height = 1  # a value too small to see still shows
        laid_out.append(
            Column(
                label=label,
                value=value,
                shown="" if value is None else shown(value),
                x=round(number * slot + COLUMN_GAP / 2),
                y=baseline - height,
                width=round(slot - COLUMN_GAP),
                height=height,
                middle=round(number * slot + slot / 2),
            )
        )
    if rtl:
        laid_out = [
            replace(column, x=WIDTH - column.x - column.width, middle=WIDTH - column.middle) for column in laid_out
        ]
    return Columns(
        columns=tuple(laid_out),
        width=WIDTH,
        height=baseline + COLUMN_LABEL_ROOM,
        baseline=baseline,
        label_y=baseline + COLUMN_LABEL_ROOM - 6,
    )
