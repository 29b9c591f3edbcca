"""Issue 16: every source URL of the bundled records appears in the team's fact base —
`facts.md`, `facts-2.md` or the seed documents of the shared folder (tests.conftest.SHARED;
this test fails, never skips, when the folder is missing).

URLs are compared normalised (`normalise`): scheme (http/https), a leading `www.`, the case of
the host and a dot ending it, a trailing slash, a `#fragment` and percent-encoding are ignored;
the path and the query must match. A URL the facts write without its scheme
(`alpine-space.org/projects/pluralps`) counts, a bare domain (`boku.ac.at`) does not. The facts
files shorten some URLs: `https://www.icmc.net/2023/03/09/...` stands for any URL that starts
so, `https://www.aspbologna.it/.../siforref-english-version` for any that starts and ends so,
and `.../870952/reporting` (after a full URL) for any that ends so.
"""

import re
from functools import lru_cache
from urllib.parse import unquote, urlsplit

import pytest

from ingest.pipeline import load_records, source_paths
from tests.conftest import BUNDLED, SHARED

URL = re.compile(r"https?://[^\s\]\[<>\"'`;]+")
BARE = re.compile(r"(?<![\w/.@-])((?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s\]\[<>\"'`;,)]*)")
SHORTENED = re.compile(r"(https?://[^\s\]\[<>\"'`;]+?)(?:\.\.\.|…)([^\s\]\[<>\"'`;,)]*)")
SHORT_SUFFIX = re.compile(r"(?<![\w/])(?:\.\.\.|…)(/[^\s\]\[<>\"'`;,)]+)")


def normalise(url: str) -> str:
    url = unquote(url.strip()).rstrip(".,:)>")
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.").rstrip(".")  # "cordis.europa.eu." too
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def fact_base_files() -> list:
    files = [SHARED / "sources" / "facts.md", SHARED / "sources" / "facts-2.md"]
    files += sorted((SHARED / "seeds").glob("*"))
    missing = [str(f) for f in files[:2] if not f.is_file()]
    assert not missing, f"missing {missing} (set KG_SHARED_DIR to the shared folder)"
    return files


@lru_cache(maxsize=1)
def fact_base() -> tuple[frozenset[str], tuple[tuple[str, str], ...], tuple[str, ...]]:
    """(normalised URLs, (start, end) of shortened URLs, suffixes of `.../x` URLs)."""
    text = "\n".join(f.read_text(encoding="utf-8", errors="replace") for f in fact_base_files())
    shortened = tuple((normalise(a), unquote(b).rstrip(".,:/")) for a, b in SHORTENED.findall(text))
    suffixes = tuple(s.rstrip(".,:").rstrip("/") for s in SHORT_SUFFIX.findall(text))
    bare = (normalise(f"https://{m}") for m in BARE.findall(URL.sub(" ", text)))
    urls = frozenset([*(normalise(m) for m in URL.findall(text)), *bare])
    return urls, shortened, suffixes


def in_fact_base(url: str) -> bool:
    urls, shortened, suffixes = fact_base()
    n = normalise(url)
    if n in urls or n.endswith(suffixes):
        return True
    return any(n.startswith(start) and n.endswith(end) for start, end in shortened)


def record_sources() -> list[tuple[str, str, str]]:
    records, errors = load_records(source_paths([BUNDLED]))
    assert errors == []
    out = []
    for record in records:
        for key, spec in (record.data.get("sources") or {}).items():
            if isinstance(spec, dict) and "url" in spec:
                out.append((f"{record.kind}/{record.slug}", str(key), str(spec["url"])))
    return out


@pytest.mark.parametrize(
    ("url", "written"),
    [
        ("https://www.Example.org/a/b/", "http://example.org/a/b"),
        ("https://example.org/a?id=1#top", "example.org/a?id=1"),
        ("https://example.org/%C5%82%C3%B3d%C5%BA", "https://example.org/łódź"),
        # a host written fully qualified, with its root's dot, is the same host (RFC 1034 §3.1)
        ("https://cordis.europa.eu/project/id/1", "https://cordis.europa.eu./project/id/1"),
    ],
)
def test_normalise_ignores_what_does_not_name_another_page(url: str, written: str) -> None:
    assert normalise(url) == normalise(written if "://" in written else f"https://{written}")


def test_normalise_keeps_path_and_query() -> None:
    assert normalise("https://example.org/a?id=1") != normalise("https://example.org/a?id=2")
    assert normalise("https://example.org/a") != normalise("https://example.org/a/b")


def test_every_record_source_url_is_in_the_fact_base() -> None:
    sources = record_sources()
    assert len(sources) > 50
    missing = [f"{rec}: sources.{key}: {url}" for rec, key, url in sources if not in_fact_base(url)]
    assert missing == [], "\n".join(missing)


def test_every_cited_document_has_one_title_across_the_records() -> None:
    """Records citing the same URL call it the same: the titles are stated once, in one graph
    (`kg.vocab.source_titles_graph`), and a second wording of one page would be a second title
    on every record page that cites it."""
    records, errors = load_records(source_paths([BUNDLED]))
    assert not errors
    titles: dict[str, dict[str, list[str]]] = {}
    for record in records:
        for spec in (record.data.get("sources") or {}).values():
            if isinstance(spec, dict) and spec.get("url") and spec.get("title"):
                by_title = titles.setdefault(spec["url"], {})
                by_title.setdefault(spec["title"], []).append(record.file)
    assert {url: found for url, found in titles.items() if len(found) > 1} == {}
