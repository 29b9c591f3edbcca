"""The map of Europe: outlines read from the package's SVG paths, kept inside the frame, and
drawn with a link, an accessible name and a shade per country with initiatives."""

from __future__ import annotations

from markupsafe import Markup

from web.europe_map import Country, europe_svg, path_rings, shapes, svg_code


def test_path_reader_handles_relative_and_absolute_commands() -> None:
    rings = path_rings("m 10,10 5,0 0,5 z M 100 100 h 10 v 10 H 100 Z")
    assert rings == [
        [(10, 10), (15, 10), (15, 15)],
        [(100, 100), (110, 100), (110, 110), (100, 110)],
    ]


def test_map_outlines_come_from_the_package() -> None:
    known = shapes()
    for code in ("es", "it", "de", "fr", "gr", "se", "gb", "ie", "pl", "mt", "lu", "cy"):
        assert code in known, code
    assert "us" not in known  # outside the frame


def test_package_codes_for_the_uk_and_greece() -> None:
    assert [svg_code(c) for c in ("ES", "UK", "EL", "gr")] == ["es", "gb", "gr", "gr"]


def countries() -> list[Country]:
    return [
        Country("ES", "Spain", 12, "/browse/country/ESP"),
        Country("IT", "Italy & co", 1, "/browse/country/ITA?lang=it&x=1"),
        Country("US", "United States", 3, "/browse/country/USA"),  # outside the frame
    ]


def test_each_country_with_initiatives_is_a_named_link() -> None:
    svg = europe_svg(countries(), title="Map <Europe>", describe=lambda c: f"{c.name}: {c.count}")
    assert isinstance(svg, Markup)
    assert svg.startswith('<svg class="europe-map"')
    assert svg.endswith("</svg>")
    assert '<title id="map-title">Map &lt;Europe&gt;</title>' in svg
    assert '<a href="/browse/country/ESP" aria-label="Spain: 12"' in svg
    assert 'href="/browse/country/ITA?lang=it&amp;x=1" aria-label="Italy &amp; co: 1"' in svg
    assert "United States" not in svg  # left off the drawing


def test_the_largest_count_gets_the_darkest_shade() -> None:
    svg = europe_svg(countries(), title="t", describe=lambda c: c.name)
    assert 'aria-label="Spain" class="country s4"' in svg
    assert 'aria-label="Italy &amp; co" class="country s1"' in svg
    # the count sits on the country, largest first
    assert svg.index(">12</text>") < svg.index(">1</text>")


def test_countries_without_initiatives_are_plain_land() -> None:
    svg = europe_svg([], title="t", describe=lambda c: c.name)
    assert "<a " not in svg
    assert svg.count("<path ") == len(shapes())
