"""Contact details in text meant for publication: e-mail addresses and telephone numbers.

Personal data is never published (README, "Contributions"), and a contributor who ends a
description with "Contact: Ana, ana@example.org, tel. 600 123 456" would otherwise publish it
on the record's page, in its data, the search API, SPARQL and the dumps. The contribution form
refuses such a description (`web.routes.contribute`) and the ingest refuses a record whose text
holds one (`ingest.validate`), so a moderator's acceptance cannot publish one either.

E-mail addresses are found by the shape of RFC 5322's `addr-spec` as people write it
(`local@domain.tld`), outside web addresses (a URL may hold `@`). Telephone numbers are found by
Google's libphonenumber (`phonenumbers.PhoneNumberMatcher`, leniency VALID: a number must be a
valid number of its country's numbering plan, so grant numbers, budgets and years are not
taken for one): written internationally (`+34 600 123 456`, `0034 …`) in any country, or
nationally (`600 123 456`) in one of the countries passed as `regions`.

A web address that will be published (a source link, a record's `url`) is read on its own by
`url_contact_details`: `https://www.ejemplo.es/contacto?email=juan.garcia@gmail.com` (or with
`%40`) publishes an address as surely as the text does. Only an `addr-spec` with a local part
counts, so `https://medium.com/@anna` (a profile path, nothing before `@`) is a web address.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote_plus, urlsplit

import phonenumbers

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}")
#: an address written to escape harvesters: "lucia.gomez [at] sierraviva.org", "ana (at) x (dot)
#: es", "mario chiocciola comune punto it", "g.verborgen at testtal dot at", "ana @ pueblo . es".
#: The at sign in brackets ("[at]", "(@)", "{at}"), followed by a space ("ana @ pueblo", not a
#: handle: "Instagram @raices.nuevas"), or as a word that only means it ("arroba", "chiocciola",
#: "arobase", "Klammeraffe"), with the dots as they are, spaced (" . ", not a sentence's end),
#: in brackets or as words ("dot", "punto", "Punkt", "point").
#: A bare "at" is English prose ("more at lag.es", "at this point in time", "welcomed at the
#: Punto de Encuentro", "at school dot their drawings"), so after it the last dot must be "dot",
#: or any of the words in brackets ("(punkt)"), and the ending a country's two letters or a
#: common generic one (`_BARE_TLD`). The name and the domain's parts are single words without
#: spaces, and the domain's ending 2 to 24 letters.
_AT_SIGN = (
    r"(?:\s*[\[({<]\s*(?:at|@)\s*[\])}>]\s*|[ \t]*@[ \t]+|@"
    r"|\s+(?:arroba|chiocciola|arobase|arobas|klammeraffe)\s+)"
)
_BRACKETED_DOT = r"\s*[\[({<]\s*(?:dot|punto|punkt|point)\s*[\])}>]\s*"
_SPELT_DOT = rf"(?:{_BRACKETED_DOT}|\s+(?:dot|punto|punkt)\s+)"
_BARE_AT_DOT = rf"(?:{_BRACKETED_DOT}|\s+dot\s+)"
_DOT = rf"(?:\.|[ \t]+\.[ \t]+|{_SPELT_DOT}|\s+point\s+)"
_LOCAL = r"(?<![\w.%+\-])[A-Za-z0-9._%+\-]{1,64}"
_LABEL = r"[A-Za-z0-9\-]+"
_TLD = r"[A-Za-z]{2,24}(?![\w\-])"
_BARE_TLD = r"(?:[A-Za-z]{2}|com|org|net|edu|gov|int|info|biz|coop)(?![\w\-])"
SPELT_EMAIL = re.compile(
    rf"{_LOCAL}(?:{_AT_SIGN}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}{_TLD}"
    rf"|\s+at\s+{_LABEL}(?:(?:\.|{_BARE_AT_DOT}){_LABEL})*{_BARE_AT_DOT}{_BARE_TLD})",
    re.IGNORECASE,
)
URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+", re.IGNORECASE)
#: an e-mail address inside a web address: a local part must come first (not `/@anna`)
URL_EMAIL = re.compile(rf"(?<![A-Za-z0-9._%+\-]){EMAIL.pattern}")
#: where a web address's scheme ends: the e-mail pattern is not to read `https` as a local part
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
#: fewer digits are a short code or a year ("2020" is a valid number in Luxembourg's plan)
MIN_DIGITS = 6
#: MIN_DIGITS digits with the separators numbers are written with: the text may hold a number
DIGIT_RUN = re.compile(rf"(?:\d[\s().\-/]{{0,2}}){{{MIN_DIGITS}}}")
#: a period of years ("2019-2022"), which Luxembourg's numbering plan would also read as a number
YEARS = re.compile(r"(?:1[89]|20)\d\d\s*[-–/]\s*(?:1[89]|20)\d\d")
#: ISO 3166 codes the graph uses that libphonenumber spells otherwise
_REGION = {"EL": "GR", "UK": "GB"}


@dataclass(frozen=True)
class ContactDetail:
    """One contact detail found: `kind` "e-mail" or "telephone", and the text as written."""

    kind: str
    text: str


def contact_details(text: str, regions: Iterable[str] = ()) -> list[ContactDetail]:
    """The e-mail addresses and telephone numbers written in `text`, in the order found.

    `regions`: ISO 3166-1 alpha-2 codes (as the graph's countries: `ES`, `IT`, `EL`…) whose
    national-format numbers count too; international-format numbers count in any case.
    Web addresses are skipped (a URL's digits or `@` are not contact details)."""
    plain = URL.sub(lambda m: " " * len(m.group()), text)
    found = []
    for pattern in (EMAIL, SPELT_EMAIL):
        found += [(m.start(), ContactDetail("e-mail", m.group())) for m in pattern.finditer(plain)]
        plain = pattern.sub(lambda m: " " * len(m.group()), plain)
    seen: set[tuple[int, int]] = set()
    if not DIGIT_RUN.search(plain):  # no run of MIN_DIGITS digits: no number to parse (fast path)
        return [detail for _, detail in sorted(found, key=lambda pair: pair[0])]
    for region in [None, *dict.fromkeys(_REGION.get(r.upper(), r.upper()) for r in regions)]:
        for match in phonenumbers.PhoneNumberMatcher(
            plain, region, leniency=phonenumbers.Leniency.VALID
        ):
            span = (match.start, match.end)
            digits = sum(ch.isdigit() for ch in match.raw_string)
            years = YEARS.fullmatch(match.raw_string.strip())
            if span not in seen and digits >= MIN_DIGITS and not years:
                seen.add(span)
                found.append((match.start, ContactDetail("telephone", match.raw_string)))
    return [detail for _, detail in sorted(found, key=lambda pair: pair[0])]


def url_contact_details(url: str) -> list[ContactDetail]:
    """The e-mail addresses written in the web address `url`, percent-decoded first (`%40` is
    `@`), in the order found: `[]` for `https://medium.com/@anna` (nothing before `@`), one
    `ContactDetail("e-mail", "juan.garcia@gmail.com")` for
    `https://www.ejemplo.es/contacto?email=juan.garcia@gmail.com`. The user name and password
    of an address (`https://ana:secret@host/`) are not an e-mail address: `url_sign_in` names
    them (`https://ana@example.org`, no password, is read both ways). Rule: README,
    "Contributions" (personal data is never published; a link is published with its record)."""
    text = url.strip()
    userinfo = url_sign_in(text)
    if userinfo is not None and ":" in userinfo:  # `ana:secret@host` is not `secret@host`
        text = text.replace(f"{userinfo}@", "", 1)
    decoded = SCHEME.sub("", unquote_plus(text))
    return [ContactDetail("e-mail", m.group()) for m in URL_EMAIL.finditer(decoded)]


def url_sign_in(url: str) -> str | None:
    """The user name (and password) written before the host of the web address `url`, as
    written (`"ana:secret"` for `https://ana:secret@example.org/`), or None. A published link
    must not carry them: RFC 3986 §3.2.1 deprecates `user:password` in an address, and whatever
    stands there is someone's sign-in. None for an address that cannot be read (`https://[`)."""
    try:
        netloc = urlsplit(url.strip()).netloc
    except ValueError:
        return None
    userinfo, at, _ = netloc.rpartition("@")
    return userinfo if at and userinfo else None


#: what may stand between the words of a name as people write it: spaces, hyphens, apostrophes,
#: the dot of an initial ("J. Smith")
_NAME_GAP = r"[\s.\-‐'’]+"


def holds_name(text: str, name: str) -> bool:
    """Whether `text` holds the person's `name` in full: all its words, in their order, as whole
    words (not inside longer ones), any case, with or without accents; "Ana Beltrán" is found
    in "lo coordina ana beltrán." and "Ana Beltran", but "Marco Rossi" not in "Marco Rossini".

    A name of one word ("Marco", "Ana") is never looked for (False): alone it is a first name
    that is as often a place, a saint or an organisation's word ("San Marco in Lamis", "Santa
    Ana") and names no one by itself, so refusing it would refuse honest descriptions, while the
    full name, which does identify the person, is always refused. Rule: README,
    "Contributions" (the contributor's name is never published)."""
    words = re.findall(r"\w+", _unaccented(name))
    if len(words) < 2:
        return False
    pattern = r"(?<!\w)" + _NAME_GAP.join(re.escape(w) for w in words) + r"(?!\w)"
    return re.search(pattern, _unaccented(text), re.IGNORECASE) is not None


def _unaccented(text: str) -> str:
    """`text` without its accents ("Lucía Fernández" → "Lucia Fernandez"): a name typed with
    or without them is the same name (a trial's "Lucia Fernandez Ortega" passed the check of
    "Lucía Fernández Ortega")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
