"""Every SPARQL string of the application, in one place.

User values never enter these strings: they are bound with `substitutions=`. One query is
sent as text to the SPARQL endpoint, where nothing is bound (`KIND_LISTING`): the kind written
into it is one of `kg.vocab.KINDS`, checked before.
Sort keys are cast to `xsd:string` (a no-op in SPARQL): without it Virtuoso sorts strings up to
20 characters after longer ones, and IRIs by internal id (issue 7, external store).
"""

from __future__ import annotations

from kg.vocab import PREFIXES

__all__ = ["PREFIXES"]  # and the query constants below

#: content hash of every named graph one adapter produced (change detection at ingest)
GRAPH_HASHES = """
SELECT ?g ?hash ?adapter WHERE {
  GRAPH ?g { ?g rikg:contentHash ?hash ; rikg:adapter ?adapter }
}"""

#: the graphs of one adapter that give a record its coordinator or partners
GRAPHS_WITH_PARTICIPANTS = """
SELECT DISTINCT ?g ?adapter WHERE {
  GRAPH ?g { ?g rikg:adapter ?adapter . ?record rikg:coordinator|rikg:partner ?organisation }
}"""

#: the titles one graph gives documents (the graph of source titles, or an older record graph)
TITLES_IN_GRAPH = """
SELECT ?g ?source ?title WHERE { GRAPH ?g { ?source dcterms:title ?title } }"""

#: the titles, wherever they are stated, of the sources one record graph cites
TITLES_CITED_IN_GRAPH = """
SELECT DISTINCT ?g ?source ?title WHERE {
  GRAPH ?g { ?record dcterms:source ?source }
  GRAPH ?any { ?source dcterms:title ?title }
}"""

#: records of one adapter that say they are the same as an IRI starting with ?prefix (issue 7:
#: a CORDIS project that is also a curated record is merged into it, found by its CORDIS URL);
#: `owl:sameAs` too, as records mapped before 6 December state it, so a CORDIS ingest run on
#: such a store before the records are ingested again still merges (a review)
SAME_AS_RECORDS = """
SELECT ?record ?same ?prefix ?adapter WHERE {
  GRAPH ?g {
    ?record schema:sameAs|owl:sameAs ?same . ?g schema:about ?record ; rikg:adapter ?adapter
  }
  FILTER(STRSTARTS(STR(?same), ?prefix))
}"""

#: counts for /healthz and the home page
COUNTS = """
SELECT ?kind (COUNT(DISTINCT ?r) AS ?n) WHERE {
  GRAPH ?g { ?r rikg:kind ?kind }
} GROUP BY ?kind"""

TRIPLE_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

#: one record and its kind: the base URI its IRI was minted under (`kg.graphs.record_base`)
A_RECORD = "SELECT ?r ?kind WHERE { GRAPH ?g { ?r rikg:kind ?kind } } LIMIT 1"

# --- an external SPARQL store (kg/store/remote.py) ---------------------------------------------

#: the state an external store's version is derived from: it changes whenever an ingest adds,
#: replaces or removes a graph (new ingest time, other count or hashes)
STORE_STATE = """
SELECT (COUNT(?g) AS ?graphs) (MAX(STR(?t)) AS ?latest) (MIN(?h) AS ?low) (MAX(?h) AS ?high)
WHERE { GRAPH ?g { ?g rikg:contentHash ?h OPTIONAL { ?g prov:generatedAtTime ?t } } }"""

#: the application's graphs in an external store (IRIs starting with ?scope; Virtuoso keeps
#: graphs of its own beside them)
STORE_GRAPHS = """
SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?scope)) }"""

STORE_SIZE = """
SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?scope)) }"""

#: the statements of the graphs bound to ?g (a page of a dump)
GRAPH_STATEMENTS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"

GRAPH_DOCUMENT = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"

GRAPH_EXISTS = "ASK WHERE { GRAPH ?g { ?s ?p ?o } }"

# --- records (linked data, record pages) -------------------------------------------------

#: the record's own statements (its named graph) plus labels of everything it links to
RECORD_DOCUMENT = """
CONSTRUCT {
  ?s ?p ?o .
  ?o ?lp ?label .
} WHERE {
  { GRAPH ?g { ?s ?p ?o } }
  UNION
  { GRAPH ?g { ?s ?p0 ?o } FILTER(isIRI(?o))
    GRAPH ?lg { ?o ?lp ?label }
    VALUES ?lp { schema:name skos:prefLabel rdfs:label skos:notation dcterms:title }
    FILTER(?lg != ?g) }
}"""

#: `RECORD_DOCUMENT` with the named graph of each statement (`?in`): the record's graph, and
#: the graphs the labels of what it links to come from (a scheme's, another record's)
RECORD_DATASET = """
SELECT ?s ?p ?o ?in ?g WHERE {
  { GRAPH ?g { ?s ?p ?o } BIND(?g AS ?in) }
  UNION
  { GRAPH ?g { ?s0 ?p0 ?s } FILTER(isIRI(?s))
    GRAPH ?in { ?s ?p ?o }
    VALUES ?p { schema:name skos:prefLabel rdfs:label skos:notation dcterms:title }
    FILTER(?in != ?g) }
}"""

#: a concept's own statements (its scheme's graph), the labels of what it links to, the
#: records that link to it with their names, and the concepts inside it (`skos:narrower`: a
#: country's regions, a region's provinces, a theme's narrower themes) with their labels and the
#: records linked to them,
#: as its page counts them (`CONCEPT_RECORDS`): a harvester needs no second request
CONCEPT_DOCUMENT = """
CONSTRUCT {
  ?c ?p ?o .
  ?o ?lp ?label .
  ?r ?rp ?c .
  ?r schema:name ?name .
  ?c skos:narrower ?direct .
  ?n skos:broader ?nb .
  ?n ?nlp ?nlabel .
  ?r2 ?rp2 ?n .
  ?r2 schema:name ?name2 .
} WHERE {
  { GRAPH ?g { ?c ?p ?o } }
  UNION
  { GRAPH ?g { ?c ?p0 ?o } FILTER(isIRI(?o))
    GRAPH ?lg { ?o ?lp ?label }
    VALUES ?lp { skos:prefLabel skos:notation rdfs:label dcterms:title } }
  UNION
  { GRAPH ?rg { ?r ?rp ?c ; rikg:kind ?kind ; schema:name ?name }
    FILTER(?rp NOT IN (rdf:subject, rdf:object)) }
  UNION
  { GRAPH ?dg { ?direct skos:broader ?c } }
  UNION
  { GRAPH ?s { ?n skos:broader+ ?c } GRAPH ?ng { ?n skos:broader ?nb } }
  UNION
  { GRAPH ?s { ?n skos:broader+ ?c } GRAPH ?nlg { ?n ?nlp ?nlabel }
    VALUES ?nlp { skos:prefLabel skos:notation } }
  UNION
  { GRAPH ?s { ?n skos:broader+ ?c }
    GRAPH ?rg2 { ?r2 ?rp2 ?n ; rikg:kind ?kind2 ; schema:name ?name2 }
    FILTER(?rp2 NOT IN (rdf:subject, rdf:object)) }
}"""

#: records that link to this one, from other graphs (partners of an organisation, …)
RECORD_INCOMING = """
SELECT ?s ?p ?kind ?name ?record WHERE {
  GRAPH ?g { ?s ?p ?record }
  GRAPH ?g2 { ?s rikg:kind ?kind ; schema:name ?name }
  FILTER(?p NOT IN (rdf:subject, rdf:object))
} ORDER BY ?kind xsd:string(STR(?name))"""

#: every record IRI with its kind and time of ingest (sitemap)
ALL_RECORDS = """
SELECT ?record ?kind ?modified WHERE {
  GRAPH ?g { ?record rikg:kind ?kind . ?g prov:generatedAtTime ?modified }
} ORDER BY ?kind xsd:string(STR(?record))"""

#: records of one kind with names, for browse lists
RECORDS_OF_KIND = """
SELECT ?record ?name ?kind WHERE {
  GRAPH ?g { ?record rikg:kind ?kind ; schema:name ?name }
} ORDER BY xsd:string(LCASE(STR(?name)))"""

#: every record of one kind, with its classes and names: the RDF answer of a kind's IRI
#: (`/id/initiative`); `{kind}` is written in by `kg.record_document.kind_listing`
KIND_LISTING = (
    "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("rikg", "schema"))
    + """\
# every {kind} record of the Rural Integration KG, with its classes and names
CONSTRUCT {{ ?record a ?class ; schema:name ?name ; rikg:kind "{kind}" }}
WHERE {{ GRAPH ?g {{ ?record rikg:kind "{kind}" ; a ?class ; schema:name ?name }} }}"""
)

#: labels of concepts (schemes, countries, NUTS) in every language
CONCEPT_LABELS = """
SELECT ?c ?label ?lang ?scheme WHERE {
  GRAPH ?g { ?c skos:prefLabel ?label . OPTIONAL { ?c skos:inScheme ?scheme } }
  BIND(LANG(?label) AS ?lang)
}"""

# --- search (issue 4 and 9; kg/search/) --------------------------------------------------

#: the searchable literals of every record: names, descriptions, notes, claims and place names
SEARCH_TEXTS = """
SELECT ?record ?kind ?field ?text WHERE {
  GRAPH ?g {
    ?g schema:about ?record . ?record rikg:kind ?kind .
    { ?record schema:name ?text BIND("name" AS ?field) }
    UNION { ?record schema:alternateName ?text BIND("alternateName" AS ?field) }
    UNION { ?record schema:identifier ?text BIND("identifier" AS ?field) }
    UNION { ?record schema:description ?text BIND("description" AS ?field) }
    UNION { ?record skos:note ?text BIND("note" AS ?field) }
    UNION { ?record rikg:claim ?claim . ?claim rdf:value ?text BIND("claim" AS ?field) }
    UNION { ?record schema:location ?place . ?place schema:name ?text BIND("place" AS ?field) }
    UNION { ?record rikg:orgType ?text BIND("type" AS ?field) }
    UNION { ?record rikg:policyType ?text BIND("type" AS ?field) }
  }
}"""

#: what every record links to: concepts (facets), places and other records (by field name)
SEARCH_LINKS = """
SELECT ?record ?field ?target WHERE {
  GRAPH ?g {
    ?g schema:about ?record .
    ?record ?p ?target .
    VALUES (?p ?field) {
      (dcterms:subject "theme") (rikg:targetGroup "target_group")
      (rikg:fundingProgramme "funding") (rikg:addressesChallenge "challenge")
      (rikg:buildsOnOpportunity "opportunity") (dcterms:spatial "spatial")
      (rikg:coordinator "coordinator") (rikg:partner "partner") (schema:funder "funder")
      (rikg:organiser "organiser") (schema:publisher "publisher")
      (schema:parentOrganization "parent") (rikg:contributesTo "policy") (schema:about "about")
      (dcterms:relation "related") (rdf:type "initiative_type")
    }
    FILTER(isIRI(?target))
  }
}"""

#: start and end of every dated record (several values where sources disagree)
SEARCH_DATES = """
SELECT ?record ?start ?end WHERE {
  GRAPH ?g {
    ?g schema:about ?record .
    { ?record schema:startDate ?start } UNION { ?record schema:endDate ?end }
  }
}"""

#: every SKOS concept (themes, target groups, funding, challenges, countries, NUTS) with its
#: scheme, notation and broader concept
SEARCH_CONCEPTS = """
SELECT ?concept ?scheme ?notation ?broader WHERE {
  GRAPH ?g {
    ?concept a skos:Concept .
    OPTIONAL { ?concept skos:inScheme ?scheme }
    OPTIONAL { ?concept skos:notation ?notation }
    OPTIONAL { ?concept skos:broader ?broader }
  }
}"""

#: preferred, alternative and hidden labels of every concept, in every language of the
#: schemes (a hidden label is for search alone: SKOS Reference §5.4, inflected forms)
SEARCH_CONCEPT_LABELS = """
SELECT ?concept ?label ?preferred WHERE {
  GRAPH ?g {
    ?concept a skos:Concept .
    { ?concept skos:prefLabel ?label BIND(true AS ?preferred) }
    UNION { ?concept skos:altLabel ?label BIND(false AS ?preferred) }
    UNION { ?concept skos:hiddenLabel ?label BIND(false AS ?preferred) }
  }
}"""

# --- dataset description (VoID / DCAT) -----------------------------------------------------

DISTINCT_TRIPLES = (
    "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
)

#: classes by number of instances, ties by IRI (the VoID lists them in the same order every time)
CLASS_PARTITIONS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?class } }
GROUP BY ?class ORDER BY DESC(?n) STR(?class)"""

DISTINCT_SUBJECTS = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

#: the earliest ingest time of a graph still in the store (the dataset's `dct:issued`)
FIRST_INGEST = "SELECT (MIN(?t) AS ?first) WHERE { GRAPH ?g { ?g prov:generatedAtTime ?t } }"


# --- browse (home page entry points, concept pages) --------------------------------------

#: how many initiatives link to each concept, country or region, by the linking property; a
#: record linked to a narrower concept counts for every broader one (a region for its country,
#: "Seasonal agricultural work" for "Agriculture and food"), as the search's filters count it
CONCEPT_USAGE = """
SELECT ?concept ?p (COUNT(DISTINCT ?record) AS ?n) WHERE {
  {
    GRAPH ?g { ?record rikg:kind "initiative" ; ?p ?concept }
    VALUES ?p { dcterms:subject rikg:targetGroup rikg:fundingProgramme rikg:addressesChallenge
                rikg:buildsOnOpportunity dcterms:spatial }
  } UNION {
    GRAPH ?g { ?record rikg:kind "initiative" ; ?p ?narrower }
    VALUES ?p { dcterms:subject rikg:targetGroup rikg:fundingProgramme rikg:addressesChallenge
                rikg:buildsOnOpportunity dcterms:spatial }
    GRAPH ?s { ?narrower skos:broader+ ?concept }
  }
} GROUP BY ?concept ?p"""

#: records that link to a concept (or any IRI), with the linking property; a record linked to
#: a narrower concept counts for the broader ones (`skos:broader`: a place for the regions and
#: country enclosing it, a theme for its broader theme), as the search's filters have it
CONCEPT_RECORDS = """
SELECT ?record ?kind ?name ?p ?concept WHERE {
  {
    GRAPH ?g { ?record ?p ?concept }
    FILTER(?p NOT IN (rdf:subject, rdf:object))
    GRAPH ?g { ?record rikg:kind ?kind ; schema:name ?name }
  } UNION {
    # the narrower concepts first, on their own: joined in one group with the records'
    # patterns, the engine read every record's kind and name first (75 ms a page, now 25)
    { SELECT DISTINCT ?narrower ?concept WHERE { GRAPH ?s { ?narrower skos:broader+ ?concept } } }
    GRAPH ?g { ?record ?p ?narrower }
    FILTER(?p NOT IN (rdf:subject, rdf:object))
    GRAPH ?g { ?record rikg:kind ?kind ; schema:name ?name }
  }
} ORDER BY xsd:string(LCASE(STR(?name)))"""

#: whether the graph says anything of a concept, or links anything to it (`kg.browse.known`)
CONCEPT_KNOWN = """
ASK WHERE { { GRAPH ?g { ?concept ?p ?o } } UNION { GRAPH ?g { ?record ?p ?concept } } }"""

#: the concepts enclosing a concept (`skos:broader`, transitively: a NUTS 3 region's NUTS 2
#: region and country), each with its own broader concept and its preferred labels
CONCEPT_BROADER = """
SELECT ?up ?broader ?label (LANG(?label) AS ?lang) ?concept WHERE {
  GRAPH ?g { ?concept skos:broader+ ?up }
  GRAPH ?h { ?up skos:prefLabel ?label }
  OPTIONAL { GRAPH ?k { ?up skos:broader ?broader } }
}"""

#: what the graph says about a concept (labels, definition, scheme, notation, broader)
#: the concepts directly inside a concept (`skos:broader`), with their preferred labels
CONCEPT_NARROWER = """
SELECT ?narrower ?label (LANG(?label) AS ?lang) ?concept WHERE {
  GRAPH ?g { ?narrower skos:broader ?concept }
  OPTIONAL { GRAPH ?l { ?narrower skos:prefLabel ?label } }
}"""

CONCEPT_INFO = """
SELECT ?p ?o (LANG(?o) AS ?lang) ?concept WHERE { GRAPH ?g { ?concept ?p ?o } }"""

# --- "show as SPARQL" on the search page -------------------------------------------------

#: the filter part of a search as a query a researcher can run and extend; {patterns} are
#: built by kg.filter_query from validated concept ids (one VALUES block per filter, the kinds
#: of record among them)
FILTER_QUERY = """# Records matching the filters of a search on the Rural Integration KG
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rikg: <https://w3id.org/rikg/ns#>

SELECT ?record ?kind (SAMPLE(?label) AS ?name) WHERE {{
  ?record rikg:kind ?kind ;
          schema:name ?label .
{patterns}}}
GROUP BY ?record ?kind
ORDER BY ?name"""

#: a year range as the search reads it (`kg.search.rank.filter_keeps`): the widest span the
#: sources give, a record known only by its end active in that year, one without an end active
#: until this year (or its start, if later); `{first}` and `{last}` are integers
YEAR_RANGE = """  OPTIONAL {{ SELECT ?record (MIN(xsd:integer(SUBSTR(STR(?s), 1, 4))) AS ?start)
             WHERE {{ ?record schema:startDate ?s }} GROUP BY ?record }}
  OPTIONAL {{ SELECT ?record (MAX(xsd:integer(SUBSTR(STR(?e), 1, 4))) AS ?end)
             WHERE {{ ?record schema:endDate ?e }} GROUP BY ?record }}
  BIND(COALESCE(?start, ?end) AS ?from)
  BIND(IF(BOUND(?end), IF(?end > ?from, ?end, ?from),
          IF(?from > YEAR(NOW()), ?from, YEAR(NOW()))) AS ?until)
  FILTER(BOUND(?from) && ?from <= {last} && ?until >= {first})
"""

# --- practice pages and the home page (kg/practices.py) ----------------------------------

#: one row per fact a summary needs, from the initiative's own graph (`?g schema:about ?record`)
INITIATIVE_FACTS = """
SELECT ?record ?p ?o (LANG(?o) AS ?lang) ?modified WHERE {
  GRAPH ?g {
    ?g schema:about ?record ; prov:generatedAtTime ?modified .
    ?record rikg:kind "initiative" ; ?p ?o .
    VALUES ?p { schema:name schema:alternateName schema:description dcterms:spatial
                dcterms:source schema:startDate schema:endDate }
  }
}"""

#: the websites and contact pages of the organisations an initiative names in a `?role`
#: (`rikg:coordinator`, `rikg:partner`)
ORGANISATION_CONTACTS = """
SELECT ?org ?name ?url ?contact ?record ?role WHERE {
  GRAPH ?g { ?record ?role ?org }
  GRAPH ?og { ?org rikg:kind "organisation" ; schema:name ?name .
    OPTIONAL { ?org schema:url ?url }
    OPTIONAL { ?org rikg:contactPage ?contact } }
} ORDER BY xsd:string(?name)"""

#: every record's own websites and contact pages (downloads of search results)
RECORD_LINKS = """
SELECT ?record ?p ?url WHERE {
  GRAPH ?g { ?record rikg:kind ?kind ; ?p ?url }
  VALUES ?p { schema:url rikg:contactPage }
} ORDER BY ?record ?p xsd:string(STR(?url))"""

#: every record's budget lines: amount, currency and kind (downloads of search results)
RECORD_BUDGETS = """
SELECT ?record ?budget ?amount ?currency ?kind ?disputed WHERE {
  GRAPH ?g { ?record rikg:budget ?budget .
    ?budget schema:value ?amount ; schema:currency ?currency .
    OPTIONAL { ?budget rikg:amountKind ?kind }
    OPTIONAL { ?budget rikg:disputed ?disputed } }
} ORDER BY ?record STR(?budget)"""

#: every start and end date whose sources disagree, each value a claim of its own
RECORD_DISPUTED_DATES = """
SELECT DISTINCT ?record ?p ?value WHERE {
  GRAPH ?g { ?claim rdf:subject ?record ; rdf:predicate ?p ; rdf:object ?value ;
    rikg:disputed true }
  VALUES ?p { schema:startDate schema:endDate }
} ORDER BY ?record ?p STR(?value)"""

#: how many initiatives each country or NUTS region is the place of
PLACE_COUNTS = """
SELECT ?place (COUNT(DISTINCT ?record) AS ?n) WHERE {
  { GRAPH ?g { ?record rikg:kind "initiative" ; dcterms:spatial ?place } }
  UNION
  {
    GRAPH ?g { ?record rikg:kind "initiative" ; dcterms:spatial ?narrower }
    GRAPH ?s { ?narrower skos:broader+ ?place }
  }
} GROUP BY ?place"""
