"""Link previews: what every page tells Open Graph (https://ogp.me) and Twitter card readers.

Templates fill `og:title` and `og:description` from their title and description blocks
(`base.html`); this context processor gives the canonical URL (the public base `KG_BASE_URI`
plus the path, the query a page declares as its own, and `?lang=` when the URL names the
language; none on error pages), the page's locale and the others; `cut_title` shortens long
titles without cutting the site's name, `page_part` is the title without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from markupsafe import Markup

from web.i18n import DEFAULT, LANGUAGES, language, requested

#: Open Graph locales (language_TERRITORY) of the interface languages
OG_LOCALES = {"en": "en_GB", "es": "es_ES", "it": "it_IT", "de": "de_DE", "fr": "fr_FR"}
#: longest page title (characters) before its page part is cut at a word with an ellipsis
TITLE_MAX = 120


def canonical(request: Request) -> str | None:
    """The page's public URL: `KG_BASE_URI` + path, with `lang` when it was asked for or the
    page is not in the default language; or None
    for a page that declares none (an error page: `request.state.canonical = None`).

    A route whose page depends on its query string (the search page) sets
    `request.state.canonical_query` to the `(name, value)` pairs that define it, in its
    canonical order; they come before `lang`."""
    if getattr(request.state, "canonical", True) is None:
        return None
    settings = getattr(request.app.state, "settings", None)
    base = settings.base if settings is not None else str(request.base_url)
    url = base.rstrip("/") + request.url.path
    pairs = [(k, v) for k, v in getattr(request.state, "canonical_query", []) if k != "lang"]
    lang = addressed_language(request)
    if lang:
        pairs.append(("lang", lang))
    return f"{url}?{urlencode(pairs)}" if pairs else url


def addressed_language(request: Request) -> str | None:
    """The `lang` a page's public address names: the one asked for, else the page's language
    when it is not the default. A page in Spanish by Accept-Language is the page of its
    `?lang=es` address: a crawler, link preview or oEmbed consumer, sending no
    Accept-Language, would get English at the bare one (a web developer's trial)."""
    lang = language(request)
    return requested(request) or (lang if lang != DEFAULT else None)


def page_part(title: str, site: str) -> str:
    """The page's own part of a `page — site` title: `og:title` and `twitter:title` name the
    object, and `og:site_name` the site (Open Graph, https://ogp.me; a webmaster's trial read
    the site's name twice in every preview); the site's own pages keep its name.

    >>> page_part("MATILDE — Site", "Site")
    'MATILDE'
    """
    suffix = f" — {site}"
    return title[: -len(suffix)] if title.endswith(suffix) and title != suffix else title


def cut_title(title: str, site: str, limit: int = TITLE_MAX) -> str:
    """`title` cut to at most `limit` characters at a word, with an ellipsis. A title ending in
    the site's name (`page — site`) keeps the name whole: only the page part is cut.

    A rendered title block (`Markup`, its characters already escaped) is read as the text it
    shows, so the page escapes it once: `Sant'Arcangelo`, not `Sant&#39;Arcangelo`.

    >>> cut_title("a b c d e f g — Site", "Site", 14)
    'a b c… — Site'
    """
    if isinstance(title, Markup):
        title = title.unescape()
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    if site and title.endswith(site) and title != site:
        head = title[: -len(site)]
        stem = head.rstrip(" —-|·:")
        suffix = head[len(stem) :] + site
        room = limit - len(suffix)
        if room > 1:
            return _cut(stem, room) + suffix
    return _cut(title, limit)


def _cut(text: str, limit: int) -> str:
    """`text` within `limit` characters, the ellipsis included, cut at a word when one ends
    in the room (else inside the word)."""
    if len(text) <= limit:
        return text
    room = text[: limit - 1]
    word = room.rsplit(" ", 1)[0] if " " in room else room
    return word.rstrip(" ,;:—-") + "…"


def meta_context(request: Request) -> dict[str, Any]:
    return {
        "canonical_url": canonical(request),
        "hreflang": alternates(request),
        # the link preview's picture (Open Graph's required og:image), an absolute URL
        "og_image": f"{request.app.state.settings.base}static/og-card.png",
        # Open Graph locales: the page's text's, the others as alternates (`base.html`)
        "og_locales": OG_LOCALES,
        "title_max": TITLE_MAX,
    }


def alternates(request: Request) -> list[tuple[str, str]]:
    """`(hreflang, absolute URL)` of this page in every interface language, itself included
    (the language switcher's links, `web.i18n.switcher`), and `x-default` for the address
    without `lang` (the language then comes from the browser), as search engines read
    `<link rel="alternate" hreflang>`. Built from the page's canonical query
    (`canonical`), not the request's: hreflang alternates must be canonical addresses, and a
    campaign link's `?utm_source=x` had given every record a set of its own (a web
    developer's trial)."""
    base: str = request.app.state.settings.base.rstrip("/")
    kept = [(k, v) for k, v in getattr(request.state, "canonical_query", []) if k != "lang"]
    return language_versions(base + request.url.path, kept)


def language_versions(url: str, query: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """`(hreflang, absolute URL)` of the page at `url` (absolute, no query) with the canonical
    `query` in every interface language (`?lang=`), and `x-default` for it without `lang`: the
    page's `<link rel="alternate" hreflang>` (`alternates`) and its sitemap entry's
    `xhtml:link`s (Google's "Localized versions of your page": every version lists all)."""
    out = [(code, f"{url}?{urlencode([*query, ('lang', code)])}") for code in LANGUAGES]
    return [*out, ("x-default", url + (f"?{urlencode(query)}" if query else ""))]
