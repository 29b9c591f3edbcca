"""`/contribute`: practitioners describe a practice in their own words; we suggest the structure.

Two steps, no account, no JavaScript: the contributor writes the description (and the name,
source links, the practice's own website and contact page if it has them, their own contact
details, consent to publication under CC BY 4.0); "Suggest the
structure" shows what `kg.draft` reads in it (themes, target groups, places, organisations,
dates, amounts), each a checkbox pre-ticked when confident; "Send" stores the submission in the
moderation queue (`kg.moderation`, on disk before the thank-you page) for a moderator.

Refused, each with a message next to its field and in a summary at the top linked to it (the
form comes back at the step it was sent from, everything typed kept): a description under 80 or
over 20,000 characters, HTML markup in any field, more than 10 source links or one that is not
http(s), a website or contact page that is not one public http(s) address, no e-mail address
or one that is not valid, no consent, more than `KG_CONTRIBUTE_PER_HOUR` submissions from one
client in an hour (429: the form again, all kept, saying in how many minutes it can be sent),
and anything in the hidden honeypot field (400: only programs fill it in). The practice's
addresses are named `practice_url` and `practice_contact`, not `website`: a browser fills in
its user's own website for that name, which would then be published.
The contributor's name and e-mail go to the queue file only; they are never logged.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from publicsuffixlist import PublicSuffixList

from kg.draft import PRESELECT, Draft, Drafter, Suggestion
from kg.errors import BadRequest, RateLimited
from kg.personal import contact_details, holds_name, url_contact_details, url_sign_in
from kg.search import SearchService
from web.i18n import LANGUAGES, N_, language, plain, with_lang
from web.ratelimit import client_of
from web.services import search_service

router = APIRouter()

MIN_DESCRIPTION, MAX_DESCRIPTION = 80, 20_000
MAX_NAME, MAX_SOURCES, MAX_URL = 200, 10, 500
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>")
EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']{1,190}\.[a-zA-Z]{2,24}\Z")
URL = re.compile(r"^https?://[^\s<>\"']+\Z")
SCHEME = re.compile(r"^https?://")
#: a web address typed without its scheme, as people write them ("www.gal-test.it",
#: "comune.esempio.it/progetto"): read as https (an Italian trial's link was refused)
BARE_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}(?:[/?#]\S*)?\Z", re.I)


#: invisible characters a paste brings along (a byte order mark, zero-width spaces, direction
#: marks: Unicode's format characters, category Cf) are dropped, but for these two, which some
#: scripts need (zero-width non-joiner and joiner); a trial's pasted text kept them
_KEPT_FORMAT = "\u200c\u200d"


def typed(text: str) -> str:
    """Text as typed in a form, as it is to be kept: Unicode NFC, line ends as `\n`, tabs and
    other spaces as one space, invisible format characters dropped (`_KEPT_FORMAT` aside), the ends
    trimmed."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(ch for ch in text if ch in _KEPT_FORMAT or unicodedata.category(ch) != "Cf")
    return re.sub(r"[^\S\n]+", " ", text).strip()


def with_scheme(sources: str) -> str:
    """The source links (or one address) with `https://` before each one typed without a
    scheme (`BARE_HOST`); other lines as typed, for the checks to name what is wrong."""
    return "\n".join(
        f"https://{line.strip()}" if BARE_HOST.match(line.strip()) else line
        for line in sources.splitlines()
    )


TEXT_LANGUAGES = ("en", "es", "it", "de", "fr")
#: countries whose national-format telephone numbers a description in that language may hold
LANGUAGE_REGIONS = {
    "en": ("GB", "IE"),
    "es": ("ES",),
    "it": ("IT",),
    "de": ("DE", "AT", "CH"),
    "fr": ("FR", "BE", "CH"),
}
#: the form's fields by their id on the page, in its order; those typed freely (no markup)
FIELDS = (
    *("name", "description", "text_lang", "sources", "practice_url", "practice_contact"),
    *("contact_name", "contact_email", "consent"),
    "send",  # the send button: what stops the whole form (too many sent this hour)
)
TYPED = (
    *("name", "description", "sources", "practice_url", "practice_contact"),
    *("contact_name", "contact_email"),
)
#: the practice's own addresses, published as the record's `url` and `contact_url` (a trial's
#: LEADER manager found nowhere to give them, and 31 of 77 practices have no website)
ADDRESSES = {
    "practice_url": N_(
        "The website must be one public web address as the browser shows it, with its domain "
        "ending (https://www.example.org): no spaces, e-mail address, user name or password."
    ),
    "practice_contact": N_(
        "The contact page must be one public web address as the browser shows it, with its "
        "domain ending (https://www.example.org/contact): no spaces, user name or password. "
        "This graph publishes no e-mail address, not even an organisation's: give the page "
        "that shows it."
    ),
}
#: the fields suggestions are grouped under, in the order the form shows them
GROUPS = (
    ("themes", N_("Themes")),
    ("target_groups", N_("Target groups")),
    ("challenges", N_("Rural challenges")),
    ("opportunities", N_("Rural opportunities")),
    ("funding", N_("Funding")),
    ("countries", N_("Countries")),
    ("nuts", N_("Regions")),
    ("partners", N_("Organisations")),
    ("start", N_("Start")),
    ("end", N_("End")),
    ("budget", N_("Amounts")),
)


@dataclass(frozen=True)
class Problem:
    """Why the form is refused: the field to correct (its id on the page) and the message."""

    field: str
    message: str
    values: dict[str, object] | None = None  # for the message's `%(name)s` placeholders

    def text(self, lang: str) -> str:
        """The message in `lang`, its values filled in, as plain text: the page escapes it."""
        return plain(lang, self.message, **(self.values or {}))


@dataclass
class Contribution:
    """What the contributor typed, kept across both steps."""

    name: str = ""
    description: str = ""
    text_lang: str = "en"
    sources: str = ""
    practice_url: str = ""
    practice_contact: str = ""
    contact_name: str = ""
    contact_email: str = ""
    consent: bool = False
    errors: list[Problem] = field(default_factory=list)

    def source_urls(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]

    def readable(self) -> bool:
        """Whether the drafter can read the description: long enough, and no markup."""
        return len(self.description) >= MIN_DESCRIPTION and not any(
            MARKUP.search(v) for v in (self.name, self.description)
        )


#: fields a contributor may fill from a list when the text names nothing for them (two trials'
#: texts named villages of the Creuse, no country: the practice would have had no place)
ADDABLE = (("countries", N_("Country")), ("themes", N_("Theme")))


def _choices(drafter: Drafter, lang: str) -> dict[str, list[tuple[str, str]]]:
    return {f: drafter.choices(f, lang) for f, _ in ADDABLE}


def _drafter(request: Request, service: SearchService) -> Drafter:
    """One drafter per search index (it follows the store version with the index)."""
    index = service.index()
    cached: tuple[str, Drafter] | None = getattr(request.app.state, "drafter", None)
    if cached is None or cached[0] != index.version:
        cached = (index.version, Drafter(index.docs, index.concepts, index.embedder))
        request.app.state.drafter = cached
    return cached[1]


def _check(form: Contribution, *, sending: bool) -> list[Problem]:
    """Every reason to refuse the form, in the order of the fields on the page."""
    problems = _check_practice(form) + (_check_contact(form) if sending else [])
    problems += [
        Problem(f, N_("Please write plain text: HTML tags such as <script> are not accepted."))
        for f in TYPED
        if MARKUP.search(getattr(form, f))
    ]
    return sorted(problems, key=lambda p: FIELDS.index(p.field))


def _check_practice(form: Contribution) -> list[Problem]:
    """What is wrong in the first step: the practice's name, description, language, links."""
    text, urls = form.description.strip(), form.source_urls()
    checks = (
        (
            len(text) < MIN_DESCRIPTION,
            "description",
            N_("Describe the practice in at least a few sentences (80 characters)."),
        ),
        (
            len(text) > MAX_DESCRIPTION,
            "description",
            N_("The description is too long: at most 20,000 characters."),
        ),
        (len(form.name) > MAX_NAME, "name", N_("The name is too long: at most 200 characters.")),
        (
            not urls,  # a record names its sources: a moderator could not accept it otherwise
            "sources",
            N_(
                "Give at least one link where the practice is described: "
                "every fact in the graph names its source."
            ),
        ),
        (len(urls) > MAX_SOURCES, "sources", N_("Give at most 10 source links.")),
        (
            form.text_lang not in TEXT_LANGUAGES,
            "text_lang",
            N_("Choose the language of the description."),
        ),
    )
    found = [Problem(name, message) for failed, name, message in checks if failed]
    found += [Problem(f, message) for f, message in ADDRESSES.items() if _bad_address(form, f)]
    return found + _check_personal(form) + _check_sources(form)


def _bad_address(form: Contribution, name: str) -> bool:
    """Whether the optional address `name` (`ADDRESSES`), as given, is not one public web
    address: the rules of a source link (`_check_sources`), on a single line."""
    url = getattr(form, name)
    return bool(url) and (
        len(url) > MAX_URL
        or not URL.match(url)
        or not _public_host(url)
        or url_sign_in(url) is not None
        or bool(url_contact_details(url))
    )


def _check_personal(form: Contribution) -> list[Problem]:
    """The name and description are published: no e-mail address or telephone number in them
    (`kg.personal`), and not the contributor's own name, which the form promises to keep
    private: the full name in whole words (`kg.personal.holds_name`, which says why a name of
    one word is not looked for: contact name "Marco" and "San Marco in Lamis")."""
    problems = []
    regions = LANGUAGE_REGIONS.get(form.text_lang, ())
    for name in ("name", "description"):
        found = contact_details(getattr(form, name), regions)
        if found:
            problems.append(
                Problem(
                    name,
                    N_(
                        "This text is published: remove the contact details in it "
                        "(%(found)s). Your name and e-mail have their own place, “About you”, "
                        "below the suggested structure: only the moderators see them."
                    ),
                    {"found": ", ".join(d.text for d in found)},
                )
            )
    if holds_name(form.description, form.contact_name):  # the full name, in whole words
        problems.append(
            Problem(
                "description",
                N_(
                    "The description is published: remove your own name from it. Only the "
                    "moderators see the name you give below."
                ),
            )
        )
    return problems


def _check_sources(form: Contribution) -> list[Problem]:
    """A problem for each source link that is not a web address (saying what is wrong: a space,
    no website after the scheme, not http(s) at all) or holds a user name and password
    (`kg.personal.url_sign_in`) or an e-mail address (`kg.personal.url_contact_details`: links
    are published), naming its line (the first 10)."""
    problems = []
    for line, typed in enumerate(form.sources.splitlines(), start=1):
        url = typed.strip()
        if len(url) > MAX_URL:
            problems.append(
                Problem(
                    "sources",
                    N_("Line %(line)s of the source links is longer than 500 characters."),
                    {"line": line},
                )
            )
        elif SCHEME.match(url) and re.search(r"\s", url):
            problems.append(
                Problem(
                    "sources",
                    N_(
                        "Line %(line)s of the source links, “%(url)s”, has a space in it: a web "
                        "address has none. Copy it from the browser's address bar."
                    ),
                    {"line": line, "url": url},
                )
            )
        elif SCHEME.match(url) and not _host(url):
            problems.append(
                Problem(
                    "sources",
                    N_(
                        "Line %(line)s of the source links, “%(url)s”, names no website after "
                        "http:// or https://."
                    ),
                    {"line": line, "url": url},
                )
            )
        elif SCHEME.match(url) and not _public_host(url):
            problems.append(
                Problem(
                    "sources",
                    N_(
                        "Line %(line)s of the source links, “%(url)s”, has no domain ending "
                        "(.org, .es, .eu …) after the website's name. Copy it from the browser's "
                        "address bar."
                    ),
                    {"line": line, "url": url},
                )
            )
        elif url and not URL.match(url):
            problems.append(
                Problem(
                    "sources",
                    N_(
                        "Line %(line)s of the source links, “%(url)s”, is not a web address "
                        "starting with http:// or https://."
                    ),
                    {"line": line, "url": url},
                )
            )
        elif url and url_sign_in(url) is not None:
            problems.append(
                Problem(
                    "sources",
                    N_(
                        "Line %(line)s of the source links holds a user name or password "
                        "before the website's name, which would be published with the link: "
                        "give the page's public address."
                    ),
                    {"line": line},
                )
            )
        elif url and (found := url_contact_details(url)):
            problems.append(
                Problem(
                    "sources",
                    N_(
                        "Line %(line)s of the source links holds an e-mail address "
                        "(%(found)s), which would be published with the link: give the "
                        "page's address without it."
                    ),
                    {"line": line, "found": ", ".join(d.text for d in found)},
                )
            )
    return problems[:MAX_SOURCES]  # past the links one may give, "at most 10" says enough


def _host(url: str) -> str:
    """The host of `url` ("" when it has none, or cannot be read: `https://[`)."""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


@functools.cache
def _suffixes() -> PublicSuffixList:
    """The Public Suffix List (publicsuffix.org) as the package `publicsuffixlist` ships it,
    read once (0.1 s) and never downloaded; a suffix it does not list is unknown."""
    return PublicSuffixList(accept_unknown=False)


def _public_host(url: str) -> bool:
    """Whether `url`'s host is a name under a public suffix ("raices.es", "comune.esempio.it"):
    not one without its domain ending ("www.raices", a Spanish trial's website was published
    so), an IP address, "localhost", or a suffix alone ("co.uk")."""
    host = _host(url).rstrip(".")
    return bool(host) and _suffixes().privatesuffix(host) is not None


def _check_contact(form: Contribution) -> list[Problem]:
    """What is wrong in the second step: the contributor's name, e-mail and consent."""
    email = form.contact_email.strip()
    checks = (
        (
            not form.contact_name.strip() or len(form.contact_name) > MAX_NAME,
            "contact_name",
            N_("Give your name (at most 200 characters)."),
        ),
        (
            not email,
            "contact_email",
            N_("Give an e-mail address where a moderator can reach you."),
        ),
        (
            bool(email) and not EMAIL.match(email),
            "contact_email",
            N_("The e-mail address is not valid: write it like name@example.org."),
        ),
        (
            not form.consent,
            "consent",
            N_("Agree to publication under CC BY 4.0 to send the practice."),
        ),
    )
    return [Problem(name, message) for failed, name, message in checks if failed]


def _render(
    request: Request,
    form: Contribution,
    *,
    draft: Draft | None = None,
    review: bool = False,
    chosen: set[str] | None = None,
    shown: set[str] | None = None,
    added: Sequence[str] = (),
    choices: dict[str, list[tuple[str, str]]] | None = None,
    status: int = 200,
    sent: str = "suggest",
) -> Response:
    """The form: the first step, or with `review` the second (the structure, the contact).
    `added`: the values the contributor chose from `choices` (`countries:FR`), for what the
    text does not name (`ADDABLE`). `sent`: the step the form was sent as (`suggest`, `send`):
    a refused one opens at the list of what is wrong, which takes the place its button's
    answer opens at (`#suggestions`, `#problems`), so the page does not open at its top (an
    accessibility trial's keyboard and screen reader stayed at the top of a long page).

    A suggestion is ticked as the contributor left it when it was `shown` to them before
    ("Suggest again", or a refused send: ticked if in `chosen`), else when confident; with
    `chosen` and no `shown` (a send naming none), exactly those in `chosen` are ticked. The
    `shown` of a send stays on the page while a refused description hides the suggestions, so
    "Suggest again" on the corrected text keeps every untick."""
    groups: list[tuple[str, list[tuple[Suggestion, bool]]]] = []

    def ticked(s: Suggestion) -> bool:
        if chosen is not None and (shown is None or _key(s) in shown):
            return _key(s) in chosen
        return s.confidence >= PRESELECT

    if draft is not None:
        for key, title in GROUPS:
            items = [s for s in draft.suggestions if s.field == key]
            if items:
                groups.append((title, [(s, ticked(s)) for s in items]))
    response: Response = request.app.state.templates.TemplateResponse(
        request,
        "contribute.html",
        {
            "form": form,
            "draft": draft,
            "review": review,
            "groups": groups,
            "kept": sorted(chosen or ()),
            "kept_shown": sorted(shown or ()),
            "added": list(added),
            "addable": [(f, title, (choices or {}).get(f, [])) for f, title in ADDABLE],
            "min_description": MIN_DESCRIPTION,
            "max_description": MAX_DESCRIPTION,
            "languages_named": [(code, LANGUAGES[code]) for code in TEXT_LANGUAGES],
            # the language switcher sends the form again, so what was typed is kept: the first
            # step as it is (`step=edit`: nothing checked), the second suggested again
            "language_form": "contribute",
            "language_step": "suggest" if review else "edit",
            # what Enter in a field does: the step's first button (base.html)
            "form_default": "send" if review else "suggest",
            # and where its answer opens: at the suggestions, as the suggest buttons do; a send
            # at what is wrong, if anything is
            "form_default_action": "/contribute#problems" if review else "/contribute#suggestions",
            "problems_id": "suggestions" if sent == "suggest" else "problems",
        },
        status_code=status,
    )
    return response


def _key(s: Suggestion) -> str:
    return f"{s.field}:{s.value}"


@router.get("/contribute", include_in_schema=False)
def contribute_form(request: Request) -> Response:
    """The empty form, in the interface language."""
    return _render(request, Contribution(text_lang=language(request)))


@router.post("/contribute", include_in_schema=False)
def contribute(
    request: Request,
    service: Annotated[SearchService, Depends(search_service)],
    # past the limit the form says so and keeps the text; only far past it is the request refused
    description: Annotated[str, Form(max_length=MAX_DESCRIPTION * 10)] = "",
    name: Annotated[str, Form(max_length=MAX_NAME * 2)] = "",
    text_lang: Annotated[str, Form(max_length=5)] = "en",
    sources: Annotated[str, Form(max_length=MAX_SOURCES * MAX_URL * 2)] = "",
    practice_url: Annotated[str, Form(max_length=MAX_URL * 2)] = "",
    practice_contact: Annotated[str, Form(max_length=MAX_URL * 2)] = "",
    contact_name: Annotated[str, Form(max_length=MAX_NAME * 2)] = "",
    contact_email: Annotated[str, Form(max_length=MAX_URL)] = "",
    consent: Annotated[str, Form(max_length=10)] = "",
    # the honeypot, hidden from people; not named like a field browsers fill in for them
    leave_empty: Annotated[str, Form(max_length=MAX_URL)] = "",
    step: Annotated[str, Form(max_length=10)] = "suggest",
    chosen: Annotated[list[str] | None, Form(max_length=200)] = None,
    shown: Annotated[list[str] | None, Form(max_length=200)] = None,
    added: Annotated[list[str] | None, Form(max_length=200)] = None,
) -> Response:
    """Suggest the structure (`step=suggest`), store the submission (`step=send`), or show the
    first step again as typed (`step=edit`: the language switcher of the first step).
    `chosen`: the suggestions ticked; `shown`: those the page showed ("Suggest again" keeps
    the ticks and unticks of those suggested again); `added`: values chosen from the lists of
    `ADDABLE` fields (`countries:FR`; an empty choice or an unknown value is ignored)."""
    added = [a for a in dict.fromkeys(added or ()) if a]
    if leave_empty:
        raise BadRequest("this form was filled in by a program; nothing was stored")
    form = Contribution(
        name=typed(name),
        description=typed(description),
        text_lang=text_lang,
        sources=with_scheme(sources),
        practice_url=with_scheme(practice_url.strip()),
        practice_contact=with_scheme(practice_contact.strip()),
        contact_name=typed(contact_name),
        contact_email=contact_email.strip(),
        consent=consent == "yes",
    )
    if step == "edit":  # the first step again, as typed (another interface language)
        return _render(request, form)
    sending = step == "send"
    form.errors = _check(form, sending=sending)
    draft = None
    lang = language(request)
    # a refused name or description is to be rewritten: nothing is suggested from it until then
    refused_text = any(p.field in ("name", "description") for p in form.errors)
    if form.readable() and not refused_text:
        drafter = _drafter(request, service)
        draft = drafter.draft(form.description, name=form.name or None, lang=lang)
    if form.errors or not sending or draft is None:
        return _render(
            request,
            form,
            draft=draft,
            review=sending or draft is not None,
            chosen=set(chosen or ()) if sending or shown else None,
            # kept as sent, so a refused send followed by "Suggest again" keeps every untick
            shown=set(shown) if shown else None,
            added=added,
            # the lists stand beside the suggestions, shown only with a draft
            choices=_choices(drafter, lang) if draft is not None else None,
            status=422 if form.errors else 200,
            sent=step,
        )
    try:
        request.app.state.submit_limiter.check(client_of(request))
    except RateLimited as limited:  # the form again, all kept, saying when it can be sent
        form.errors = [
            Problem(
                "send",
                N_(
                    "You have sent as many practices as one can in an hour. Everything you "
                    "typed is kept below: you can send it in %(minutes)s min."
                ),
                {"minutes": max(1, math.ceil(limited.retry_after / 60))},
            )
        ]
        response = _render(
            request,
            form,
            draft=draft,
            review=True,
            chosen=set(chosen or ()),
            added=added,
            choices=_choices(drafter, lang),
            status=429,
            sent=step,
        )
        response.headers["Retry-After"] = str(limited.retry_after)
        return response
    kept = set(chosen or [])
    suggestions = [s for s in draft.suggestions if _key(s) in kept]
    addable, ticked = dict(ADDABLE), {_key(s) for s in suggestions}
    for key in added:  # what the contributor chose from a list, unless ticked already
        field_name, _, value = key.partition(":")
        extra = drafter.chosen(field_name, value, lang) if field_name in addable else None
        if extra is not None and key not in ticked:
            suggestions.append(extra)
    confirmed = Draft(
        description=draft.description,
        name=draft.name,
        acronym=draft.acronym,
        suggestions=suggestions,
        new_organisations=draft.new_organisations,
    )
    text = confirmed.record_text(
        sources=form.source_urls(),
        text_lang=form.text_lang,
        url=form.practice_url,
        contact_url=form.practice_contact,
    )
    sub, new = request.app.state.queue.submit(
        name=form.name,
        description=form.description,
        record_text=text,
        lang=form.text_lang,
        sources=form.source_urls(),
        contact_name=form.contact_name,
        contact_email=form.contact_email,
    )
    # sent again minutes later (not a double click or a reload): said on the thanks page
    again = "" if new or _just_sent(sub.submitted) else "&again=1"
    target = with_lang(f"/contribute/thanks?ref={sub.id}{again}", request.query_params.get("lang"))
    # a fragment of its own, or the thanks page would inherit the send's `#problems` (RFC 9110
    # §10.2.2)
    return RedirectResponse(f"{target}#thanks", status_code=303)


#: a send within this many seconds of the same practice's first is that send again (a double
#: click, a reload): its thank-you page is the first's, without "we had already received this"
#: (a trial's double click was told so)
SAME_SEND = 120


def _just_sent(submitted: str) -> bool:
    """Whether a submission stored at `submitted` (ISO 8601, UTC) is under `SAME_SEND` old."""
    age = datetime.now(UTC) - datetime.fromisoformat(submitted)
    return age.total_seconds() < SAME_SEND


@router.get("/contribute/thanks", include_in_schema=False)
def thanks(request: Request, ref: str = "", again: str = "") -> Response:
    """After a submission: which practice was sent and when, its status, what happens next,
    and once a moderator has decided, the decision
    (published, with the link to its page, or not published: the contributor's way back to
    it is this page's address; a trial's still said "saved" after a rejection). `again=1`: the
    same practice had been sent already and was not stored twice. Raises `NotFound` (404) for
    a reference the queue does not hold: the page would say "saved" of nothing."""
    sub = request.app.state.queue.get(ref)  # NotFound for an unknown or malformed reference
    response: Response = request.app.state.templates.TemplateResponse(
        request,
        "contribute_thanks.html",
        {
            "ref": sub.id,
            "again": again == "1",
            "state": sub.state,
            "record": sub.record,
            # which practice, sent when: a French trial came back to a page that named neither
            "name": sub.name,
            "submitted": sub.submitted,
        },
    )
    response.headers["Cache-Control"] = "no-store"
    return response
