"""Geometry of the server-rendered SVG charts (templates/statistik/_chart.html).

Every chart is drawn in a 320-unit-wide view box: on a 360 px phone it is
shown at about 1:1, so 12-unit text stays readable, and it scales with the
page elsewhere.  No JavaScript, and the numbers are also in a table.
"""
from dataclasses import dataclass

WIDTH = 320
ROW = 34  # a label line and a bar under it
COLUMN_AREA = 150  # height of the columns' drawing area
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    tick: str = ""  # the axis label under a column, "" for none


@dataclass
class Chart:
    kind: str  # "rows" (horizontal bars) or "columns"
    height: int
    bars: list
    maximum: int


def rows(pairs) -> Chart:
    """Horizontal bars, each under its own label: long OPD names need the width."""
    pairs = list(pairs)
    top = max((n for _, n in pairs), default=0)
    bars = []
    for i, (label, n) in enumerate(pairs):
        # Leave 40 units at the right for the number.
        width = (WIDTH - 40) * n / top if top else 0
        bars.append(Bar(str(label), n, 0, i * ROW + 16, max(width, 1 if n else 0), 12))
    return Chart("rows", max(len(pairs) * ROW, ROW), bars, top)


def columns(pairs, tick=str) -> Chart:
    """Vertical columns over time; `tick(label, index)` names the axis, "" to skip."""
    pairs = list(pairs)
    top = max((n for _, n in pairs), default=0)
    slot = WIDTH / max(len(pairs), 1)
    bars = []
    for i, (label, n) in enumerate(pairs):
        height = COLUMN_AREA * n / top if top else 0
        bars.append(Bar(str(label), n, i * slot + slot * 0.15, 20 + COLUMN_AREA - height,
                        slot * 0.7, height, tick(label, i)))
    return Chart("columns", 20 + COLUMN_AREA + 18, bars, top)


def month_tick(label, index) -> str:
    return MONTHS[int(label) - 1] if isinstance(label, int) else ""


def year_month_tick(label, index) -> str:
    """For every month of every year: name only the Januaries (and the first)."""
    year, month = str(label).split("-")
    return year if month == "01" or index == 0 else ""


def year_tick(label, index) -> str:
    return str(label)
