"""The trend chart's SVG, checked as facts a person relies on: one dot per month, 3 at the bottom
("less lonely") and 9 at the top ("more lonely"), a line only when there are two or more months,
a title and a plain sentence naming it for screen readers, no style attributes (the CSP forbids
them), and text escaped. Parsed with ElementTree, as a strict XML reader would."""
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from community.journey import chart
from community.journey.chart import TrendPoint

SVG = "{http://www.w3.org/2000/svg}"
AUTUMN = [TrendPoint("2026-09", 8, 2), TrendPoint("2026-10", 6, None), TrendPoint("2026-11", 5, 4)]


def parse(markup: Markup | str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314  # our own chart's markup, not outside input


def circles(svg: ET.Element) -> list[ET.Element]:
    return svg.findall(f"{SVG}circle")


def test_three_months_three_points_a_line_and_the_sentence():
    svg = parse(chart.render(AUTUMN))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "loneliness-trend-title loneliness-trend-desc"
    assert svg.find(f"{SVG}title").get("id") == "loneliness-trend-title"
    assert svg.find(f"{SVG}title").text == "How lonely you've felt, month by month"
    assert svg.find(f"{SVG}desc").get("id") == "loneliness-trend-desc"
    assert svg.find(f"{SVG}desc").text == ("Your check-ins from September to November: 8, then 6, then 5. "
                                           "Lower means less lonely.")
    points = circles(svg)
    assert [(p.get("cx"), p.get("cy")) for p in points] == [("112", "56"), ("362", "120"), ("612", "152")]
    assert [p.get("data-value") for p in points] == ["8", "6", "5"]
    (line,) = svg.findall(f"{SVG}polyline")
    assert line.get("points") == "112,56 362,120 612,152"


def test_3_sits_at_the_bottom_as_less_lonely_and_9_at_the_top_as_more_lonely():
    assert chart.y_for(3) == 216
    assert chart.y_for(9) == 24
    svg = parse(chart.render([TrendPoint("2026-01", 9, None), TrendPoint("2026-02", 3, None)]))
    assert [p.get("cy") for p in circles(svg)] == ["24", "216"]
    texts = {t.get("class"): t for t in svg.findall(f"{SVG}text") if t.get("class")}
    assert texts["axis-low"].text == "less lonely"
    assert texts["axis-high"].text == "more lonely"
    # Each label sits beside its end of the scale (baseline 5 below the line's y, to centre the letters).
    assert texts["axis-low"].get("y") == "221"
    assert texts["axis-high"].get("y") == "29"


def test_one_check_in_is_a_dot_and_a_sentence_without_a_line():
    svg = parse(chart.render([TrendPoint("2026-11", 6, 3)]))
    (dot,) = circles(svg)
    assert (dot.get("cx"), dot.get("cy")) == ("362", "120")
    assert svg.findall(f"{SVG}polyline") == []
    assert svg.find(f"{SVG}desc").text == ("Your check-in for November 2026: 6, on a scale from 3 to 9. "
                                           "Lower means less lonely.")


def test_the_chart_is_markup_safe():
    assert isinstance(chart.render(AUTUMN), Markup)


def test_no_check_ins_draw_nothing():
    assert chart.render([]) == Markup("")
    assert chart.describe([]) == "You haven't checked in yet."


def test_a_skipped_month_leaves_a_gap_and_years_are_named_across_new_year():
    points = [TrendPoint("2025-11", 7, None), TrendPoint("2025-12", 7, None), TrendPoint("2026-03", 4, None)]
    svg = parse(chart.render(points))
    # Four months from November to March: December one quarter of the way along, March at the end.
    assert [p.get("cx") for p in circles(svg)] == ["112", "237", "612"]
    assert svg.find(f"{SVG}desc").text == ("Your check-ins from November 2025 to March 2026: 7, then 7, then 4. "
                                           "Lower means less lonely.")
    labels = [t.text for t in svg.findall(f"{SVG}text")]
    assert ["Nov", "2025", "Dec", "Mar", "2026"] == [t for t in labels if t in {"Nov", "Dec", "Mar", "2025", "2026"}]


def test_no_style_attributes_and_colours_are_presentation_attributes():
    svg = parse(chart.render(AUTUMN))
    every = [svg, *svg.iter()]
    assert not [e.tag for e in every if "style" in e.attrib]
    assert {p.get("fill") for p in circles(svg)} == {"#1d5c63"}  # 7:1 on the white background


def test_the_chart_id_is_escaped_and_keeps_two_charts_apart():
    markup = chart.render(AUTUMN, chart_id='x" onload="alert(1)')
    assert 'onload="' not in str(markup)
    svg = parse(markup)
    assert svg.get("aria-labelledby") == 'x" onload="alert(1)-title x" onload="alert(1)-desc'
    assert "onload" not in svg.attrib


def test_text_in_the_chart_is_escaped(monkeypatch):
    monkeypatch.setattr(chart, "TITLE", "<script>alert(1)</script> & more")
    markup = str(chart.render(AUTUMN))
    assert "<script>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in markup
    assert parse(markup).find(f"{SVG}title").text == "<script>alert(1)</script> & more"


@pytest.mark.parametrize("bad", [2, 10])
def test_a_total_off_the_scale_is_refused(bad):
    with pytest.raises(ValueError):
        chart.render([TrendPoint("2026-11", bad, None)])


def test_month_names():
    assert chart.month_name("2026-11") == "November 2026"
    assert chart.month_name("2026-01", with_year=False) == "January"
