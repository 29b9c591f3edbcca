"""Dates at the precision their sources state them: ISO 8601 calendar dates, a year
(`2024`), a month (`2024-07`) or a day (`2024-07-31`).

Two sources agree when one date lies within the other ("2024" and "31 July 2024"): the finer
says more of the same. They disagree when neither does ("2019" and "1 February 2020").
"""

from __future__ import annotations

from collections.abc import Iterable


def finest(values: Iterable[str]) -> list[str]:
    """The values no other value refines, in sorted order: `["2024", "2024-07-31"]` →
    `["2024-07-31"]`; `["2019", "2020-02-01"]` → both. More than one means the sources
    disagree."""
    given = set(values)
    return sorted(v for v in given if not any(w != v and within(w, v) for w in given))


def within(finer: str, coarser: str) -> bool:
    """Whether the date `finer` lies within `coarser` (a year holds its months and days, a
    month its days); a date lies within itself."""
    return finer == coarser or finer.startswith(coarser + "-")
