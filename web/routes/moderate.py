"""`/moderate`: moderators review contributed practices (admin token required).

A moderator signs in with `KG_ADMIN_TOKEN` and gets a session (`web.auth.Sessions`: a random id in
an HttpOnly, SameSite=Strict cookie limited to `/moderate`, valid `SESSION_HOURS`, ended by "Sign
out"; API clients may send `Authorization: Bearer` instead); sign-in attempts are limited per client
(`LOGINS` in `LOGIN_WINDOW` seconds, then 429). The moderator lists the pending submissions, edits a
draft record (the format of `ingest/records/README.md`; "Save" keeps the edit and says what would
refuse it: `kg.moderation.Check`), and accepts it: it is validated, filed and ingested with
"contributed on / reviewed on" dates by the publisher the CLI wires in (`kg.moderation.Publish`). Or
the moderator rejects it with a reason. A refused record is shown again with each error; nothing is
published then. A published contribution can later be withdrawn with a reason
(`kg.moderation.Withdraw`): its record leaves the graph, its addresses answer 410 Gone
(`web.errors`) and the contributor's contact is deleted. Both "Save" and "Accept" refuse a record
whose text holds the contributor's own name (`kg.moderation.own_name`), which the form promises to
keep private.
"""

from __future__ import annotations

import functools
import hmac
import re
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from kg.errors import BadRequest, Forbidden, ValidationFailed
from kg.moderation import ID, Submission, own_name
from kg.search.documents import SearchDoc
from kg.search.types import SearchQuery
from kg.settings import PROJECT_ROOT, Settings
from web.auth import Sessions, bearer_matches
from web.i18n import N_, language, plain, requested, with_lang
from web.ratelimit import client_of
from web.services import services

router = APIRouter()
#: a submission's state, as the pages say it (msgids)
STATES = {
    "pending": N_("pending"),
    "accepted": N_("accepted"),
    "rejected": N_("rejected"),
    "withdrawn": N_("withdrawn"),
}
#: the record format a moderator edits in, shown under the form (a path in the checkout
#: meant nothing to a trial's moderator on the site)
RECORD_FORMAT = PROJECT_ROOT / "ingest" / "records" / "README.md"
NO_REASON = N_("Say why the submission is rejected: the reason is kept with it.")
NO_WITHDRAW_REASON = N_("Say why the practice is withdrawn: the reason is kept with it.")
NOT_WITHDRAWN = N_("Not withdrawn")
WRONG_TOKEN = N_("That is not the admin token.")
COOKIE = "kg_moderator"
SESSION_HOURS = 8
LOGINS, LOGIN_WINDOW = 10, 900  # sign-in attempts per client in 15 minutes


def _expected(request: Request) -> bytes:
    settings: Settings = request.app.state.settings
    if settings.admin_token is None:
        raise Forbidden("moderation is enabled only with KG_ADMIN_TOKEN")
    return settings.admin_token.get_secret_value().encode()


def _sessions(request: Request) -> Sessions:
    settings: Settings = request.app.state.settings
    return Sessions(settings.queue_dir / "sessions", _expected(request), hours=SESSION_HOURS)


def _authorised(request: Request) -> bool:
    if bearer_matches(request, _expected(request).decode()):
        return True
    return _sessions(request).valid(request.cookies.get(COOKIE, ""))


def _page(
    request: Request, template: str, context: dict[str, object], status: int = 200
) -> Response:
    response: Response = request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@functools.cache
def _record_format() -> str | None:
    """The record format's guide (`RECORD_FORMAT`), or None where the checkout has none."""
    try:
        return RECORD_FORMAT.read_text(encoding="utf-8")
    except OSError:
        return None


#: where a moderator may be sent back to after signing in: a page of `/moderate`, never a
#: whole address (an open redirect)
RETURN = re.compile(r"^/moderate(/[0-9]{8}-[0-9a-f]{12})?\Z")


#: what a redirect after an action reports (`?done=ACTION+WHAT`): the action done and the record
#: key or submission id it was done to; any other text is not shown, so a link cannot put words
#: of its own on a moderator's page
DONE = re.compile(rf"^(published|rejected|withdrawn) ([a-z]+/[a-z0-9-]+|{ID.pattern[1:-2]})\Z")


def _done(text: str) -> tuple[str, str] | None:
    """`("published", "initiative/x")` from the redirect's `done` text, or None."""
    found = DONE.match(text)
    return (found[1], found[2]) if found else None


def _return_path(path: str) -> str:
    return path if RETURN.match(path) else "/moderate"


def _sign_in_first(request: Request) -> RedirectResponse:
    """303 to the sign-in form, which sends the moderator back to this page afterwards."""
    back = _return_path(request.url.path)
    return RedirectResponse(f"/moderate?{urlencode({'next': back})}", status_code=303)


@router.get("/moderate", include_in_schema=False)
def moderate(request: Request, done: str = "", next: str = "") -> Response:
    """The pending submissions (or the sign-in form; `next`: the `/moderate` page to go back
    to after signing in)."""
    if not _authorised(request):
        context: dict[str, object] = {"error": "", "next": _return_path(next)}
        return _page(request, "moderate_login.html", context)
    queue = request.app.state.queue
    return _page(
        request,
        "moderate.html",
        {
            "pending": queue.list("pending"),
            "accepted": queue.list("accepted"),
            "rejected": queue.list("rejected"),
            "withdrawn": queue.list("withdrawn"),
            "done": _done(done),
        },
    )


@router.post("/moderate/login", include_in_schema=False)
def login(
    request: Request,
    token: Annotated[str, Form(max_length=500)] = "",
    next: Annotated[str, Form(max_length=100)] = "/moderate",
) -> Response:
    """Check the admin token; on success start a session (its id in a cookie for `/moderate`)
    and go to `next` (a `/moderate` page; any other is `/moderate`). Raises `RateLimited`
    (429) past `LOGINS` attempts of one client in `LOGIN_WINDOW` s."""
    expected = _expected(request)
    request.app.state.login_limiter.check(client_of(request))
    back = _return_path(next)
    if not hmac.compare_digest(token.strip().encode(), expected):
        context: dict[str, object] = {"error": WRONG_TOKEN, "next": back}
        return _page(request, "moderate_login.html", context, 403)
    # the language the sign-in page was in stays with the queue (`link` gave the form's action
    # the page's `?lang=`; a Spanish trial's queue opened in English)
    response = RedirectResponse(with_lang(back, requested(request)), status_code=303)
    response.set_cookie(
        COOKIE,
        _sessions(request).start(),
        max_age=SESSION_HOURS * 3600,
        path="/moderate",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/moderate/logout", include_in_schema=False)
def logout(request: Request) -> Response:
    """End the session: its cookie no longer signs in, wherever it was copied to."""
    _sessions(request).end(request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/moderate", status_code=303)
    response.delete_cookie(COOKIE, path="/moderate")
    return response


def _submission(request: Request, sub_id: str) -> Submission:
    if not _authorised(request):
        raise Forbidden("moderation needs the admin token: sign in at /moderate")
    if not ID.match(sub_id):
        raise BadRequest(f"{sub_id!r} is not a submission id")
    sub: Submission = request.app.state.queue.get(sub_id)
    return sub


@router.get("/moderate/{sub_id}", include_in_schema=False)
def submission(request: Request, sub_id: str) -> Response:
    """One submission: the contributor's text, the draft record to edit, accept or reject.
    Not signed in (never, or signed out, or the session's 8 hours are over): 303 to the
    sign-in form, which comes back here."""
    if not _authorised(request):
        return _sign_in_first(request)
    sub = _submission(request, sub_id)
    return _item(request, sub, sub.record_text)


def _item(
    request: Request,
    sub: Submission,
    text: str,
    errors: list[str] | None = None,
    *,
    saved: bool = False,
    status: int = 200,
    failed: str | None = None,
) -> Response:
    """A submission's page: `text` the record as it stands in the form, `errors` what refuses
    it under the heading `failed` (a msgid; default "Not published"); a pending one beside the
    practices closest to it and the record format's guide."""
    pending = sub.state == "pending"
    context: dict[str, object] = {
        "sub": sub,
        "errors": errors or [],
        "text": text,
        "saved": saved,
        "failed": failed,
        "states": STATES,
        "close": _closest(request, sub) if pending else [],
        "record_format": _record_format() if pending else None,
    }
    return _page(request, "moderate_item.html", context, status)


#: practices listed beside a submission, closest first, for the moderator to rule out that it
#: is one of them (a re-trial published a second record of a practice the graph had)
CLOSEST = 3


def _closest(request: Request, sub: Submission) -> list[SearchDoc]:
    """The initiatives the search ranks first for the submission's name and description (the
    description's first 300 characters: a practice's own words); [] when the search finds
    nothing. Raises nothing the page would not: the search index is loaded by then."""
    text = " ".join(part for part in (sub.name, sub.description[:300]) if part)
    query = SearchQuery(text=text, filters={"kind": ["initiative"]}, limit=CLOSEST)
    return [hit.doc for hit in services(request).search.search(query).hits]


@router.post("/moderate/{sub_id}", include_in_schema=False)
def decide(
    request: Request,
    sub_id: str,
    action: Annotated[str, Form(max_length=10)],
    record_text: Annotated[str, Form(max_length=100_000)] = "",
    reason: Annotated[str, Form(max_length=2_000)] = "",
) -> Response:
    """`action=save` keeps the edited draft, `accept` publishes it, `reject` needs a reason;
    `withdraw` takes a published one off the site and needs a reason. Not signed in: 303 to
    the sign-in form (nothing is changed)."""
    if not _authorised(request):
        return _sign_in_first(request)
    sub = _submission(request, sub_id)
    queue = request.app.state.queue
    text = record_text.replace("\r\n", "\n") or sub.record_text
    if action == "withdraw":
        return _withdraw(request, sub, reason)
    if action == "republish":
        return _republish(request, sub)
    if sub.state != "pending":
        raise BadRequest(f"submission {sub.id} is already {sub.state}")
    try:
        if action == "save":  # kept as it is, and what would refuse it said
            sub = queue.edit(sub.id, text)
            problems = own_name(sub, text) + request.app.state.check_record(text)
            return _item(request, sub, text, problems, saved=True)
        if action == "reject":
            if not reason.strip():  # said in the moderator's language (a trial's was English)
                return _item(request, sub, text, [plain(language(request), NO_REASON)], status=422)
            queue.reject(sub.id, reason=reason)
            return RedirectResponse(f"/moderate?done=rejected+{sub.id}", status_code=303)
        if action != "accept":
            raise BadRequest("action must be save, accept or reject")
        sub = queue.edit(sub.id, text)
        for refusal in own_name(sub, text):  # nothing published with the name in it
            raise BadRequest(refusal)
        today = datetime.now(UTC).date().isoformat()
        record = request.app.state.publish(text, contributed_on=sub.submitted_on, reviewed_on=today)
        queue.accept(sub.id, record=record)
        return RedirectResponse(f"/moderate?done=published+{record}", status_code=303)
    except ValidationFailed as exc:
        errors = [e.message for e in exc.errors]
    except BadRequest as exc:
        errors = [exc.message]
    return _item(request, sub, text, errors, status=422)


def _withdraw(request: Request, sub: Submission, reason: str) -> Response:
    """Unpublish an accepted submission's record, then mark it withdrawn (in that order: a
    kill between the two leaves it accepted, and withdrawing again finishes the work). A
    submission not published (a second click in a stale tab) is its page again, saying so."""
    if sub.state != "accepted" or not sub.record:
        problem = f"submission {sub.id} is {sub.state}, not published"
        return _item(request, sub, sub.record_text, [problem], status=409, failed=NOT_WITHDRAWN)
    if not reason.strip():
        message = plain(language(request), NO_WITHDRAW_REASON)
        return _item(request, sub, sub.record_text, [message], status=422, failed=NOT_WITHDRAWN)
    try:
        request.app.state.withdraw(sub.record)
    except ValidationFailed as exc:
        problems = [e.message for e in exc.errors]
        return _item(request, sub, sub.record_text, problems, status=422, failed=NOT_WITHDRAWN)
    request.app.state.queue.withdraw(sub.id, reason=reason)
    return RedirectResponse(f"/moderate?done=withdrawn+{sub.record}", status_code=303)


def _republish(request: Request, sub: Submission) -> Response:
    """Publish a withdrawn submission's record again, at its own address (a withdrawal
    undone), then mark it accepted. Its contributor's contact is not restored: it was
    erased."""
    if sub.state != "withdrawn":
        problem = f"submission {sub.id} is {sub.state}, not withdrawn"
        return _item(request, sub, sub.record_text, [problem], status=409)
    today = datetime.now(UTC).date().isoformat()
    try:
        record = request.app.state.publish(
            sub.record_text, contributed_on=sub.submitted_on, reviewed_on=today, restore=True
        )
    except ValidationFailed as exc:
        return _item(request, sub, sub.record_text, [e.message for e in exc.errors], status=422)
    except BadRequest as exc:
        return _item(request, sub, sub.record_text, [exc.message], status=422)
    request.app.state.queue.republish(sub.id, record=record)
    return RedirectResponse(f"/moderate?done=published+{record}", status_code=303)
