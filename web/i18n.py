"""The interface language (issue 9 item 5): chosen, translated, announced.

The language comes from the `lang` URL parameter (the header's switcher sets it, and links within
the site keep it), else from `Accept-Language` (RFC 9110 §12.5.4: quality values, and a base
language match, `es-ES` → `es`), else English. Templates translate with Jinja2's i18n extension
(`{% trans %}`, `_()`) over gettext catalogues in `web/locales/<lang>/LC_MESSAGES/messages.po`,
compiled in memory when the app starts, so no `.mo` file can go stale. After changing a message:

    pybabel extract -F web/locales/babel.cfg -k N_ -o /tmp/messages.pot .
    pybabel update -i /tmp/messages.pot -d web/locales --no-fuzzy-matching

then translate the new entries; tests/web/test_i18n.py fails while one is missing.
"""

from __future__ import annotations

import gettext as gnu
import io
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from fastapi import Request
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.search.text import fold
from kg.vocab import is_country

LOCALES = Path(__file__).parent / "locales"
#: letters of a currency touching a digit, either way round (`currency`)
CURRENCY_SPACING = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
DEFAULT = "en"
#: the interface languages, each named in itself (the switcher shows these)
LANGUAGES = {
    "en": "English",
    "es": "Español",
    "it": "Italiano",
    "de": "Deutsch",
    "fr": "Français",
}


def N_(message: str) -> str:  # noqa: N802 - the gettext convention Babel extracts
    """Mark a string for translation where it is defined; templates translate it with `_()`."""
    return message


def negotiate(accept_language: str | None) -> str:
    """The interface language a browser's `Accept-Language` header asks for most, or English.

    >>> negotiate("de-AT;q=0.8, fr-CH, en;q=0.5")
    'fr'
    >>> negotiate("pt-BR, es-ES;q=0.3")
    'es'
    >>> negotiate("ja, *;q=0.1")
    'en'
    """
    ranked = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.lower()))
    for _, _, tag in sorted(ranked):
        if tag == "*":
            return DEFAULT
        base = tag.split("-", 1)[0]
        if base in LANGUAGES:
            return base
    return DEFAULT


def requested(request: Request) -> str | None:
    """The language the URL names (`?lang=es`), when it is one of ours; a language tag with a
    region (`es-ES`, `de_AT`: BCP 47 and POSIX spellings) names its language (RFC 4647 §3.4
    lookup: the tag is shortened until it matches)."""
    value = request.query_params.get("lang", "").strip().lower().replace("_", "-")
    primary = value.split("-", 1)[0]
    return primary if primary in LANGUAGES else None


def language(request: Request) -> str:
    """The page's language: the URL's `lang`, else `Accept-Language`, else English."""
    return requested(request) or negotiate(request.headers.get("accept-language"))


def translations(lang: str) -> gnu.NullTranslations:
    """The compiled catalogue of one language (English is the msgids themselves); a `lang` not
    of `LANGUAGES` (the API's `lang` is any string) gets English. Catalogues are compiled once
    per language of `LANGUAGES` only: cached per string, each distinct `lang` a client sent
    had kept a catalogue in memory."""
    return _catalogue(lang if lang in LANGUAGES else DEFAULT)


@cache
def _catalogue(lang: str) -> gnu.NullTranslations:
    path = LOCALES / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT or not path.exists():
        return gnu.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return gnu.GNUTranslations(buf)


def plain(lang: str, message: str, **values: object) -> str:
    """`message` in `lang` as plain text, its `%(name)s` placeholders filled in from `values`.

    A template prints it escaped, unlike what `_()` gives a template: Jinja2 trusts that as
    HTML. Messages that quote what a user typed, or name a tag, go through here.
    """
    return translations(lang).gettext(message) % values


@pass_context
def gettext(context: Context, message: str) -> str:
    return translations(context.get("lang", DEFAULT)).gettext(message)


@pass_context
def ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return translations(context.get("lang", DEFAULT)).ngettext(singular, plural, n)


@pass_context
def colon(context: Context) -> str:
    """What stands between a label and its value: ": ", and " : " on a French page (French
    typography puts a space before the colon, as this project's French translations write it;
    a trial read "Début: 2019")."""
    return colon_in(context.get("lang", DEFAULT))


def colon_in(lang: str) -> str:
    """`colon` outside a template: for the language `lang` (ISO 639-1)."""
    return " : " if lang == "fr" else ": "


@pass_context
def number(context: Context, value: float) -> str:
    """A number as the page's language writes it (1,234 · 1.234 · 1 234)."""
    return format_decimal(value, locale=context.get("lang", DEFAULT))


@pass_context
def day(context: Context, value: str) -> str:
    """An ISO 8601 date (or date-time: its date) as the page's language writes it in full
    (30 November 2026 · 30 de noviembre de 2026 · 30. November 2026 · 1er décembre 2026);
    anything else as given."""
    return day_in(value, context.get("lang", DEFAULT))


def day_in(value: str, lang: str) -> str:
    """`day` in the language `lang` (outside a template)."""
    try:
        parsed = date.fromisoformat(value[:10])
    except ValueError:
        return value
    if lang == "fr" and parsed.day == 1:
        # French writes the first of a month as an ordinal, "1er décembre 2026" (Imprimerie
        # nationale, Lexique des règles typographiques); CLDR's pattern has the cardinal
        return format_date(parsed, format="'1er' MMMM y", locale="fr")
    # English as the EU institutions write it (day month year), not babel's US default
    return format_date(parsed, format="long", locale="en_GB" if lang == "en" else lang)


def lang_attr(text_lang: str, page_lang: str) -> Markup:
    """` lang="…"` for a text in another language than the page's (WCAG 2.1 SC 3.1.2, a
    German record's name on an English page), nothing for one in the page's language or of
    no known language; `text_lang` is a BCP 47 tag as the data gives it."""
    if not text_lang or text_lang.split("-")[0].lower() == page_lang:
        return Markup("")
    return Markup(' lang="%s"') % text_lang


def starting(text: str) -> str:
    """`text` as a label or list item starts it: its first letter a capital, the rest as
    written. Jinja's `capitalize` lowercases the rest, which turns German nouns ("Hinweis zum
    Budget") and acronyms ("EU contribution") into misspellings."""
    return text[:1].upper() + text[1:]


@pass_context
def language_name(context: Context, code: str, start: bool = True) -> str:
    """The name of the language `code` (ISO 639-1, or a BCP 47 tag) in the page's language,
    from CLDR by babel: as a label starts ("Catalan", "Espagnol" on a French page), or with
    `start=False` as a sentence writes it ("en espagnol", "auf Spanisch"); the code itself
    when CLDR does not name it. A trial read "[ ca ]" and "[ es ]"."""
    lang = context.get("lang", DEFAULT)
    try:
        name = Locale.parse(lang).languages.get(code.replace("-", "_").split("_")[0])
    except (ValueError, UnknownLocaleError):
        name = None
    if not name:
        return code
    return starting(name) if start else str(name)


@pass_context
def when(context: Context, value: str) -> str:
    """A date as precise as its source gives it (ISO 8601 year, year-month or date), as the
    page's language writes it: 2019 · March 2019 · marzo de 2019 · 5 March 2019; anything
    else as given."""
    lang = context.get("lang", DEFAULT)
    locale = "en_GB" if lang == "en" else lang
    if len(value) == 7 and value[4] == "-":
        try:
            month = date(int(value[:4]), int(value[5:]), 1)
        except ValueError:
            return value
        return format_skeleton("yMMMM", month, locale=locale)
    if len(value) >= 10:
        return str(day(context, value))
    return value


@pass_context
def by_label(context: Context, values: list[Any]) -> list[Any]:
    """Linked values (`kg.record_document.Value`) in the alphabetical order of their labels in
    the page's language, accents folded ("Alemania, Austria, Bélgica"): a trial read countries
    in the order of their codes ("Austria, Bélgica, Canadá, Alemania")."""
    lang = context.get("lang", DEFAULT)
    return sorted(values, key=lambda v: fold(v.label_in(lang)))


@pass_context
def places_order(context: Context, values: list[Any]) -> list[Any]:
    """Places (`kg.record_document.Value` of countries and NUTS regions): the countries, then
    the regions, each in the page language's alphabetical order, as browse pages list them
    ("España, Aragón, Soria, Teruel"); an embed card had listed them in the graph's order."""
    lang = context.get("lang", DEFAULT)
    return sorted(values, key=lambda v: (not is_country(v.value), fold(v.label_in(lang))))


@pass_context
def listed(context: Context, items: list[str]) -> Markup:
    """Items joined as the page's language lists them (A, B and C · A, B y C · A, B und C:
    CLDR's list patterns, through babel); each item is escaped unless it is markup already."""
    lang = context.get("lang", DEFAULT)
    return Markup(format_list([str(escape(i)) for i in items], locale=lang))  # noqa: S704


@pass_context
def currency(context: Context, value: float, code: str) -> str:
    """An amount of money as the page's language writes it (€1,000.00 · 1.000,00 € ·
    PLN 8,050.00). A currency written in letters is kept apart from the digits by a no-break
    space, CLDR's currency spacing (UTS #35 part 3, "Currencies": `insertBetween` where the
    symbol is not a symbol character), which babel's formatter leaves out (a trial read
    "PLN8,050.00")."""
    lang = context.get("lang", DEFAULT)
    if not code:
        return format_decimal(value, format="#,##0.00", locale=lang)
    return CURRENCY_SPACING.sub("\xa0", format_currency(value, code, locale=lang))


def with_lang(url: str, lang: str | None) -> str:
    """A link within the site that keeps the chosen language (`lang` given in the URL)."""
    parts = urlsplit(url)
    if not lang or parts.netloc or "lang" in parse_qs(parts.query):
        return url
    extra = urlencode({"lang": lang})
    return urlunsplit(parts._replace(query=f"{parts.query}&{extra}" if parts.query else extra))


def switcher(request: Request, current: str) -> list[tuple[str, str, str, bool]]:
    """(code, name, URL of this page in that language, is it the current one) per language."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return [
        (code, name, request.url.path + "?" + urlencode([*kept, ("lang", code)]), code == current)
        for code, name in LANGUAGES.items()
    ]


def template_context(request: Request) -> dict[str, Any]:
    """What every page template gets: its language, the switcher, and the link helper."""
    lang = language(request)
    explicit = requested(request)
    request.state.page_lang = lang  # read by ContentLanguage for the response headers

    def link(url: str | None) -> str:
        return with_lang(url, explicit) if url else ""

    return {
        "lang": lang,
        "explicit_lang": explicit,
        "languages": switcher(request, lang),
        "link": link,
    }


class ContentLanguage:
    """Pages rendered in a language say so (`Content-Language`) and that the language followed
    `Accept-Language` (`Vary`), so a shared cache keeps one copy per language."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_language(message: Message) -> None:
            lang = scope.get("state", {}).get("page_lang")
            if message["type"] == "http.response.start" and lang:
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in (b"content-language", b"vary")
                ]
                vary = [
                    v.decode("latin-1")
                    for k, v in message.get("headers", [])
                    if k.lower() == b"vary"
                ]
                if not any("accept-language" in v.lower() for v in vary):
                    vary.append("Accept-Language")
                headers.append((b"vary", ", ".join(vary).encode("latin-1")))
                headers.append((b"content-language", lang.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_language)
