"""The W3C SPARQL Service Description of /sparql, with a VoID description of the dataset.

Built from the snapshot's metadata (triple counts per graph, publication time) and the
dump manifest, so it is exact for the version being served and costs no query. The dumps
listed are the newest complete ones, each stating the data version it holds.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"
FORMATS = "http://www.w3.org/ns/formats/"

PREFIXES = {"sd": SD, "void": VOID, "dcterms": DCT, "xsd": XSD, "formats": FORMATS}

RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "N-Quads",
    "TriG",
)


#: Credit that the data's licence and the gazetteer's (ODbL-1.0, a database derived from
#: dr5hn/countries-states-cities) ask for: in the dataset description (dcterms:rights),
#: on every page and in the dumps listing.
ATTRIBUTION = (
    "Facts extracted from the articles each one cites (every article keeps its own licence"
    " in its metadata). Places and organisations are linked to Wikidata with a gazetteer"
    " derived from the dr5hn countries-states-cities database (ODbL-1.0, © its"
    " contributors) and the supraverden list of international organisations."
)


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def build(
    *,
    endpoint: str,
    url_root: str,
    base_iri: str,
    title: str,
    license_iri: str,
    snapshot: Any,
    dump_files: list[dict[str, Any]],
) -> list[ox.Triple]:
    """Triples of the service description (``endpoint`` is the URL the client used)."""
    t: list[ox.Triple] = []
    service = _n(endpoint)
    dataset = _n(base_iri + "dataset")

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal):
        t.append(ox.Triple(s, _n(p), o))

    t.append(ox.Triple(service, RDF_TYPE, _n(SD + "Service")))
    add(service, SD + "endpoint", service)
    add(service, SD + "supportedLanguage", _n(SD + "SPARQL11Query"))
    add(service, SD + "feature", _n(SD + "UnionDefaultGraph"))
    add(service, SD + "defaultEntailmentRegime", _n("http://www.w3.org/ns/entailment/Simple"))
    for fmt in RESULT_FORMATS:
        add(service, SD + "resultFormat", _n(FORMATS + fmt))
    add(service, SD + "defaultDataset", dataset)

    meta = snapshot.metadata or {}
    graphs: dict[str, int] = meta.get("graphs", {}) or {}
    total = int(meta.get("triples", sum(graphs.values())))
    t.append(ox.Triple(dataset, RDF_TYPE, _n(SD + "Dataset")))
    t.append(ox.Triple(dataset, RDF_TYPE, _n(VOID + "Dataset")))
    add(dataset, DCT + "title", ox.Literal(title, language="en"))
    add(dataset, DCT + "license", _n(license_iri))
    add(dataset, DCT + "rights", ox.Literal(ATTRIBUTION, language="en"))
    add(
        dataset,
        DCT + "modified",
        ox.Literal(snapshot.published_at.isoformat(), datatype=_n(XSD + "dateTime")),
    )
    add(dataset, DCT + "hasVersion", ox.Literal(snapshot.version))
    add(dataset, VOID + "sparqlEndpoint", service)
    add(dataset, VOID + "triples", ox.Literal(str(total), datatype=_n(XSD + "integer")))
    add(dataset, VOID + "uriSpace", ox.Literal(base_iri + "id/"))
    add(dataset, VOID + "vocabulary", _n(base_iri + "ontology#"))
    for f in dump_files:
        # Dumps are written after publishing: they may hold an older data version than
        # the endpoint, so each says which one it holds.
        dump = _n(url_root + "dumps/" + f["name"])
        add(dataset, VOID + "dataDump", dump)
        if isinstance(f.get("version"), str):
            add(dump, DCT + "hasVersion", ox.Literal(f["version"]))

    # The default graph is the set union of the named graphs: a triple that several
    # articles state is in it once, so its size is not the sum of theirs (which
    # void:triples of the dataset gives), and counting it would scan the whole store at
    # every publish. It is described without a size rather than with a wrong one.
    default_graph = ox.BlankNode()
    add(dataset, SD + "defaultGraph", default_graph)
    t.append(ox.Triple(default_graph, RDF_TYPE, _n(SD + "Graph")))
    for name, count in sorted(graphs.items()):
        named = ox.BlankNode()
        graph = ox.BlankNode()
        add(dataset, SD + "namedGraph", named)
        t.append(ox.Triple(named, RDF_TYPE, _n(SD + "NamedGraph")))
        add(named, SD + "name", _n(name))
        add(named, SD + "graph", graph)
        t.append(ox.Triple(graph, RDF_TYPE, _n(SD + "Graph")))
        add(graph, VOID + "triples", ox.Literal(str(int(count)), datatype=_n(XSD + "integer")))
    return t
