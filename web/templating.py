"""Jinja2 environment shared by the page routes, with the i18n extension (web/i18n.py)."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from kg import sentences
from kg.vocab import LICENSE
from web import i18n, meta, practice
from web.i18n import N_

TEMPLATES = Path(__file__).parent / "templates"

#: record kinds as a page names them, one and many (translated in the templates with `_()`)
KIND_LABELS = {
    "initiative": N_("Initiative"),
    "organisation": N_("Organisation"),
    "policy": N_("Policy"),
    "event": N_("Event"),
    "source": N_("Source document"),
    "place": N_("Place"),
    "other": N_("Other record"),  # the events and source documents of a concept page
}
#: the filters whose values the pages name from msgids, not from the graph's labels
VALUE_LABELS = {"kind": KIND_LABELS, "initiative_type": practice.TYPE_LABELS}
KIND_PLURALS = {
    "initiative": N_("Initiatives"),
    "organisation": N_("Organisations"),
    "policy": N_("Policies"),
    "event": N_("Events"),
    "source": N_("Source documents"),
    "place": N_("Places"),
    "other": N_("Other records"),
}

#: what web/static/sparql.js says, handed to it translated in `data-msg-*` attributes of the
#: editor's form (no inline script: CSP script-src 'self'); `{name}` marks a value it fills in
SPARQL_MESSAGES = {
    "results": N_("Query results"),
    "download": N_("Download the results:"),
    "failed-http": N_("The query failed (HTTP {status})"),
    "error": N_("Error"),
    "error-http": N_("{error} (HTTP {status})"),
    "goto": N_("Go to line {line}, column {column}"),
    "empty": N_("Write a query first."),
    "running": N_("Running the query…"),
    "not-sent": N_("The query could not be sent."),
    "unreachable": N_("The server could not be reached: {reason}"),
    "retry": N_("Try again in {seconds} s."),
    "failed-after": N_("The query failed after {time}."),
    "triples-one": N_("{n} triple"),
    "triples-other": N_("{n} triples"),
    "rows-one": N_("{n} row"),
    "rows-other": N_("{n} rows"),
    "a-graph": N_("A graph"),
    "took": N_("{size} in {time}."),
    "not-json": N_("The answer was not SPARQL JSON results:"),
    "yes": N_("Yes — true"),
    "no": N_("No — false"),
    "ask": N_("ASK answered {answer} in {time}."),
    "no-results": N_("No results."),
    "truncated-rows": N_(
        "The results were cut at the row cap: the query has more rows than shown. "
        "Add LIMIT and OFFSET, or narrow it down."
    ),
    "truncated-results": N_(
        "The results were cut at the row cap: the query has more results than shown. "
        "Add LIMIT and OFFSET, or narrow it down."
    ),
    "copied": N_("Link to this query copied."),
    "copy-this": N_("Copy this link: {url}"),
    "loaded": N_("Loaded “{title}”. Run it with the Run button or Ctrl+Enter."),
    "language": N_("language: {lang}"),
}


#: the facets' titles, translated by the templates (web/i18n.py): the search page and its
#: downloads name a facet so
FACET_TITLES = {
    "kind": N_("Record type"),
    "initiative_type": N_("Type of initiative"),
    "theme": N_("Theme"),
    "target_group": N_("Target group"),
    "country": N_("Country"),
    "nuts": N_("Region (NUTS)"),
    "funding": N_("Funding"),
    "challenge": N_("Rural challenge"),
    "opportunity": N_("Rural opportunity"),
    "year": N_("Active in"),
}


#: how a result is linked with the record the query names (`kg.search.explain.RELATIONS`),
#: translated by the templates: "partner in “WELCOMING SPACES”"
LINK_PHRASES = {
    "coordinator-of": N_("coordinator of %(names)s"),
    "partner-in": N_("partner in %(names)s"),
    "funder-of": N_("funder of %(names)s"),
    "organiser-of": N_("organiser of %(names)s"),
    "publisher-of": N_("publisher of %(names)s"),
    "parent-of": N_("parent organisation of %(names)s"),
    "policy-of": N_("policy with contributions from %(names)s"),
    "subject-of": N_("subject of %(names)s"),
    "related-to": N_("related to %(names)s"),
    "coordinated-by": N_("coordinated by %(names)s"),
    "with-partner": N_("partnered with %(names)s"),
    "funded-by": N_("funded by %(names)s"),
    "organised-by": N_("organised by %(names)s"),
    "published-by": N_("published by %(names)s"),
    "part-of": N_("part of %(names)s"),
    "contributes-to": N_("contributes to %(names)s"),
    "about": N_("about %(names)s"),
}


def breakable(text: str) -> Markup:
    """`text` escaped, with a line-break opportunity (`<wbr>`, HTML §4.5.29) after each slash:
    a browser breaks a line at a space or after a hyphen, not after "/", so a phone broke
    "HAWK Hildesheim/Holzminden/Göttingen" inside "Göttingen" (a browser test of every title)."""
    return Markup("/<wbr>").join(escape(part) for part in str(text).split("/"))


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(
        directory=str(TEMPLATES), context_processors=[i18n.template_context, meta.meta_context]
    )
    templates.env.add_extension("jinja2.ext.i18n")
    templates.env.add_extension("jinja2.ext.do")
    templates.env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True
    )
    templates.env.filters["number"] = i18n.number
    templates.env.filters["day"] = i18n.day
    templates.env.filters["language_name"] = i18n.language_name
    templates.env.filters["starting"] = i18n.starting
    templates.env.filters["when"] = i18n.when
    templates.env.filters["currency"] = i18n.currency
    templates.env.filters["listed"] = i18n.listed
    templates.env.filters["by_label"] = i18n.by_label
    templates.env.filters["places_order"] = i18n.places_order
    templates.env.filters["cut_title"] = meta.cut_title
    templates.env.filters["page_part"] = meta.page_part
    templates.env.filters["first_sentence"] = sentences.first_sentence
    templates.env.filters["lead"] = practice.lead
    templates.env.filters["after_lead"] = practice.after_lead
    templates.env.filters["paragraphs"] = practice.paragraphs
    templates.env.filters["breakable"] = breakable
    templates.env.globals["js_messages"] = SPARQL_MESSAGES
    templates.env.globals["kind_labels"] = KIND_LABELS
    templates.env.globals["value_labels"] = VALUE_LABELS
    templates.env.globals["facet_titles"] = FACET_TITLES
    templates.env.globals["link_phrases"] = LINK_PHRASES
    templates.env.globals["kind_plurals"] = KIND_PLURALS
    templates.env.globals["colon"] = i18n.colon
    templates.env.globals["lang_attr"] = i18n.lang_attr
    templates.env.globals["licence"] = LICENSE  # of the data the pages show (rel=license)
    return templates
