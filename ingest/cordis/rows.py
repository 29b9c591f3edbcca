"""Typed CORDIS projects and participations, parsed from export rows (issue 16).

Both generations of the export name their columns differently; each field lists its aliases:
the organisation id is `organisationID` now and `id` in the 2019–2021 organisation files; the
call is `masterCall`/`subCall` now and `call` then; the legal basis `legalBasis` now and
`programme` then. The framework programme comes from `frameworkProgramme`, else from the prefix
of the call or legal basis (`FP7-…`, `H2020-…`, `HORIZON-…`).

Money comes with a decimal comma (H2020 DET export, "3499076,25") or a decimal dot (some Horizon
Europe tooling): both are read. Dates are ISO `YYYY-MM-DD`. A malformed row raises RecordError
naming its file, line and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from ingest.cordis.export import Row
from ingest.shacl_words import date_reason
from kg.geo import is_nuts_code

ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T][0-9:.]+)?$")
PROJECT_ID = re.compile(r"^\d{1,12}$")
#: CORDIS participation roles → the ontology's two roles
ROLES = {
    "coordinator": "coordinator",
    "participant": "partner",
    "associatedpartner": "partner",
    "thirdparty": "partner",
    "partner": "partner",
    "beneficiary": "partner",  # older (FP6/FP7) files
    "hostinstitution": "partner",  # ERC grants
}
#: CORDIS frameworkProgramme values (and call prefixes) → one code per programme
FRAMEWORKS = {
    "FP4": "FP4",
    "FP5": "FP5",
    "FP6": "FP6",
    "FP7": "FP7",
    "H2020": "H2020",
    "HORIZON": "HORIZON",
    "HE": "HORIZON",
    "HORIZON EUROPE": "HORIZON",
}
LIST_SPLIT = re.compile(r"\s*[;,]\s*")


@dataclass(frozen=True)
class Participation:
    """One organisation's role in one project (a row of organization.csv)."""

    project_id: str
    org_key: str  # organisationID, or a key made from name and country when the export has none
    name: str
    short_name: str
    country: str
    nuts: str
    city: str
    url: str
    activity_type: str
    role: str  # coordinator | partner
    row: Row


@dataclass
class Project:
    """One project (a row of project.csv) with what the other tables say about it."""

    id: str
    acronym: str
    title: str
    objective: str
    start: date | None
    end: date | None
    total_cost: Decimal | None
    eu_contribution: Decimal | None
    framework: str
    topics: list[str]
    calls: list[str]
    keywords: list[str]
    row: Row
    url: str = ""  # the project's own web site (2019–2021 `projectUrl`)
    countries: list[str] = field(default_factory=list)  # 2019–2021 coordinator/participants
    topic_titles: dict[str, str] = field(default_factory=dict)
    subjects: list[str] = field(default_factory=list)  # EuroSciVoc titles
    participations: list[Participation] = field(default_factory=list)
    #: the export held an organisation table, so `participations` is all it says (even none)
    participations_read: bool = False
    extra_rows: list[Row] = field(default_factory=list)  # topics/euroSciVoc rows, for the hash


def parse_project(row: Row) -> Project:
    pid = row.get("id", "projectID")
    if not PROJECT_ID.match(pid):
        raise row.error("id", f"{pid!r} is not a CORDIS project id")
    title = row.get("title")
    if not title:
        raise row.error("title", "a project needs a title")
    start, end = parse_date(row, "startDate"), parse_date(row, "endDate")
    if start and end and end < start:
        raise row.error("endDate", f"{end} is before startDate {start}")
    return Project(
        id=pid,
        acronym=row.get("acronym"),
        title=title,
        objective=row.get("objective"),
        start=start,
        end=end,
        total_cost=parse_amount(row, "totalCost"),
        eu_contribution=parse_amount(row, "ecMaxContribution"),
        framework=framework(row),
        topics=split_list(row.get("topics")),
        calls=_unique([row.get("masterCall"), row.get("subCall"), row.get("call")]),
        keywords=split_list(row.get("keywords")),
        row=row,
        url=_url(row.get("projectUrl")),
        countries=_countries(row),
    )


def _countries(row: Row) -> list[str]:
    named = split_list(f"{row.get('coordinatorCountry')};{row.get('participantCountries')}")
    return [c.upper() for c in named if re.match(r"^[A-Za-z]{2}$", c)]


def framework(row: Row) -> str:
    """FP4 … FP7, H2020 or HORIZON; "" when neither the column nor a call prefix tells."""
    given = row.get("frameworkProgramme").strip().upper()
    if given in FRAMEWORKS:
        return FRAMEWORKS[given]
    for text in (row.get("masterCall"), row.get("call"), row.get("subCall"),
                 row.get("legalBasis", "programme"), row.get("topics")):  # fmt: skip
        prefix = re.split(r"[-.]", text.strip().upper(), maxsplit=1)[0]
        if prefix in FRAMEWORKS:
            return FRAMEWORKS[prefix]
    return given


def parse_participation(row: Row) -> Participation:
    pid = row.get("projectID")
    if not PROJECT_ID.match(pid):
        raise row.error("projectID", f"{pid!r} is not a CORDIS project id")
    name = row.get("name")
    if not name:
        raise row.error("name", "an organisation needs a name")
    role = ROLES.get(row.get("role").replace("_", "").lower())
    if role is None:
        raise row.error("role", f"unknown role {row.get('role')!r} (known: {', '.join(ROLES)})")
    country = row.get("country").upper()
    if country and not re.match(r"^[A-Z]{2}$", country):
        raise row.error("country", f"{country!r} is not a two-letter country code")
    nuts = row.get("nutsCode").upper()
    if nuts and not is_nuts_code(nuts):
        raise row.error("nutsCode", f"{nuts!r} is not a NUTS code")
    org_id = row.get("organisationID", "organizationID", "id")
    if org_id and not re.match(r"^[0-9A-Za-z]+$", org_id):
        raise row.error("organisationID", f"{org_id!r} is not an organisation id")
    key = org_id or _slug(f"{name} {country}")
    url = _url(row.get("organizationURL", "organisationURL"))
    return Participation(
        project_id=pid,
        org_key=key.lower(),
        name=name,
        short_name=row.get("shortName"),
        country=country,
        nuts=nuts,
        city=row.get("city"),
        url=url,
        activity_type=row.get("activityType").upper(),
        role=role,
        row=row,
    )


def parse_date(row: Row, column: str) -> date | None:
    text = row.get(column)
    if not text:
        return None
    match = ISO_DATE.match(text)
    if match is None:
        raise row.error(column, f"{text!r} is not an ISO date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        # written as a date, naming no day: which part is wrong (a data steward's trial read
        # "'2025-02-30' is not an ISO date" of a date in ISO form)
        reason = date_reason(match.group(1)) or "no such day"
        raise row.error(column, f"{text!r} is not a valid date ({reason})") from None


def parse_amount(row: Row, column: str) -> Decimal | None:
    """'3499076,25', '3499076.25', '3.499.076,25' and '2500000' are all read."""
    text = row.get(column).replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    comma, dot = text.rfind(","), text.rfind(".")
    if comma > dot:  # the comma is the decimal separator; dots group thousands
        text = text.replace(".", "").replace(",", ".")
    elif comma != -1:  # the dot is the decimal separator; commas group thousands
        text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise row.error(column, f"{row.get(column)!r} is not an amount")
    return value


def _url(text: str) -> str:
    return text if re.match(r"^https?://\S+$", text) else ""


def split_list(text: str) -> list[str]:
    return _unique(LIST_SPLIT.split(text)) if text else []


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
