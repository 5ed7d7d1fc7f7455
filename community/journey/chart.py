"""The member's loneliness trend as a small SVG chart, drawn on the server so it needs no
JavaScript. Pure: no Flask, no database.

Accessibility: the <svg> is one image (role="img") named by its <title> and described by its
<desc>, a plain sentence with every number in it; pages always show the same numbers in a table
too. No style="" attributes (the Content-Security-Policy forbids them): colours are presentation
attributes, chosen for AA contrast on white. Every piece of text goes through markupsafe's
escaping, though today all of it is ours.
"""
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from markupsafe import Markup

from community.journey.scoring import HIGHEST, LOWEST


class TrendPoint(NamedTuple):
    month: str  # "2026-11"
    loneliness: int  # 3-9
    group_connection: int | None  # 1-5, or None when not answered or not in a group


# Geometry of the drawing (viewBox units).
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 112, 28, 24, 64  # room for the y labels on the left, months below
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
INK = "#1f2a33"  # 13.9:1 on white
MUTED = "#4a5763"  # 7.3:1 on white
ACCENT = "#1d5c63"  # 7.0:1 on white
GRID = "#cfd6d9"  # decorative lines only
POINT_RADIUS = 6

TITLE = "How lonely you've felt, month by month"
LOWER_IS_BETTER = "Lower means less lonely."


def month_date(month: str) -> date:
    """"2026-11" -> 1 November 2026 (raises ValueError for anything else)."""
    year, number = month.split("-")
    return date(int(year), int(number), 1)


def month_name(month: str, with_year: bool = True) -> str:
    """"2026-11" -> "November 2026" (or "November")."""
    day = month_date(month)
    return f"{day:%B %Y}" if with_year else f"{day:%B}"


def _month_number(month: str) -> int:
    day = month_date(month)
    return day.year * 12 + day.month - 1


def y_for(loneliness: int) -> float:
    """Where a total sits: 9 (more lonely) at the top, 3 (less lonely) at the bottom."""
    return TOP + (HIGHEST - loneliness) / (HIGHEST - LOWEST) * PLOT_HEIGHT


def x_positions(points: Sequence[TrendPoint]) -> list[float]:
    """Months spread along the axis by how far apart they are, so a skipped month shows as a gap;
    a single month sits in the middle."""
    if not points:
        return []
    numbers = [_month_number(p.month) for p in points]
    first, span = numbers[0], numbers[-1] - numbers[0]
    if span == 0:
        return [LEFT + PLOT_WIDTH / 2 for _ in points]
    return [LEFT + (n - first) / span * PLOT_WIDTH for n in numbers]


def describe(points: Sequence[TrendPoint]) -> str:
    """The chart in one plain sentence (its <desc>, and the words under a single dot)."""
    if not points:
        return "You haven't checked in yet."
    if len(points) == 1:
        (only,) = points
        return f"Your check-in for {month_name(only.month)}: {only.loneliness}, on a scale from 3 to 9. {LOWER_IS_BETTER}"
    first, last = points[0].month, points[-1].month
    same_year = first[:4] == last[:4]
    start = month_name(first, with_year=not same_year)
    numbers = ", then ".join(str(p.loneliness) for p in points)
    return f"Your check-ins from {start} to {month_name(last, with_year=not same_year)}: {numbers}. {LOWER_IS_BETTER}"


def _number(value: float) -> str:
    """Coordinates with at most one decimal, and none when whole: exact to test, short to send."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _month_labels(points: Sequence[TrendPoint], xs: list[float]) -> list[Markup]:
    """The month under each point, with the year under the first and wherever it changes."""
    labels, last_year = [], None
    baseline = _number(TOP + PLOT_HEIGHT + 22)
    year_line = _number(TOP + PLOT_HEIGHT + 40)
    for point, x in zip(points, xs, strict=True):
        day = month_date(point.month)
        labels.append(Markup('<text x="{0}" y="{1}" text-anchor="middle" fill="{2}" font-size="14">{3}</text>')
                      .format(_number(x), baseline, INK, f"{day:%b}"))
        if day.year != last_year:
            labels.append(Markup('<text x="{0}" y="{1}" text-anchor="middle" fill="{2}" font-size="13">{3}</text>')
                          .format(_number(x), year_line, MUTED, day.year))
            last_year = day.year
    return labels


def _axis() -> list[Markup]:
    """Grid lines at 3, 6 and 9, and the words that say which way is which."""
    parts = []
    for value in (LOWEST, 6, HIGHEST):
        y = _number(y_for(value))
        parts.append(Markup('<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="{3}" stroke-width="1"/>')
                     .format(LEFT, y, WIDTH - RIGHT, GRID))
        parts.append(Markup('<text x="{0}" y="{1}" text-anchor="end" fill="{2}" font-size="14">{3}</text>')
                     .format(LEFT - 12, _number(y_for(value) + 5), INK, value))
    parts.append(Markup('<text class="axis-low" x="{0}" y="{1}" text-anchor="end" fill="{2}" font-size="13">{3}</text>')
                 .format(LEFT - 34, _number(y_for(LOWEST) + 5), MUTED, "less lonely"))
    parts.append(Markup('<text class="axis-high" x="{0}" y="{1}" text-anchor="end" fill="{2}" font-size="13">{3}</text>')
                 .format(LEFT - 34, _number(y_for(HIGHEST) + 5), MUTED, "more lonely"))
    return parts


def render(points: Sequence[TrendPoint], chart_id: str = "loneliness-trend") -> Markup:
    """The chart as markup-safe SVG; empty when there is nothing to draw (the page then invites a
    first check-in instead). `chart_id` keeps the title and desc ids apart if two charts share a page."""
    if not points:
        return Markup("")
    for point in points:
        if not LOWEST <= point.loneliness <= HIGHEST:
            raise ValueError(f"a loneliness total is {LOWEST} to {HIGHEST}, not {point.loneliness!r}")
    xs = x_positions(points)
    ys = [y_for(p.loneliness) for p in points]
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        Markup('<svg class="trend-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0} {1}" '
               'role="img" aria-labelledby="{2} {3}" focusable="false">').format(WIDTH, HEIGHT, title_id, desc_id),
        Markup('<title id="{0}">{1}</title>').format(title_id, TITLE),
        Markup('<desc id="{0}">{1}</desc>').format(desc_id, describe(points)),
        Markup('<rect x="0" y="0" width="{0}" height="{1}" fill="#ffffff"/>').format(WIDTH, HEIGHT),
        *_axis(),
    ]
    if len(points) > 1:
        coordinates = " ".join(f"{_number(x)},{_number(y)}" for x, y in zip(xs, ys, strict=True))
        parts.append(Markup('<polyline class="trend-line" points="{0}" fill="none" stroke="{1}" stroke-width="3" '
                            'stroke-linejoin="round" stroke-linecap="round"/>').format(coordinates, ACCENT))
    for point, x, y in zip(points, xs, ys, strict=True):
        parts.append(Markup('<circle class="trend-point" cx="{0}" cy="{1}" r="{2}" fill="{3}" stroke="#ffffff" '
                            'stroke-width="2" data-month="{4}" data-value="{5}"/>')
                     .format(_number(x), _number(y), POINT_RADIUS, ACCENT, point.month, point.loneliness))
    parts += _month_labels(points, xs)
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
