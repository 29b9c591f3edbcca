"""Link previews: what every page tells Open Graph (https://ogp.me) and Twitter card readers.

Templates fill `og:title` and `og:description` from their title and description blocks
(`base.html`); this context processor gives the canonical URL (the public base `KG_BASE_URI`
plus the path, and `?lang=` when the URL names the language), the page's locale and the others.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from web.i18n import LANGUAGES, language, requested

#: Open Graph locales (language_TERRITORY) of the interface languages
OG_LOCALES = {"en": "en_GB", "es": "es_ES", "it": "it_IT", "de": "de_DE", "fr": "fr_FR"}
#: longest page title (characters) before it is cut at a word with an ellipsis
TITLE_MAX = 120


def canonical(request: Request) -> str:
    """The page's public URL: `KG_BASE_URI` + path, keeping only an explicit `lang`."""
    settings = getattr(request.app.state, "settings", None)
    base = settings.base if settings is not None else str(request.base_url)
    url = base.rstrip("/") + request.url.path
    lang = requested(request)
    return f"{url}?lang={lang}" if lang else url


def meta_context(request: Request) -> dict[str, Any]:
    lang = language(request)
    return {
        "canonical_url": canonical(request),
        "og_locale": OG_LOCALES[lang],
        "og_locale_alternates": [OG_LOCALES[c] for c in LANGUAGES if c != lang],
        "title_max": TITLE_MAX,
    }
