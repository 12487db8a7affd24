"""`diplograph export`: the store's facts back as JSON Lines, or its relation network."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pyoxigraph as ox

from diplograph.cli.errors import Unusable, handle_errors
from diplograph.cli.options import open_store, with_store_options


@click.group()
def export() -> None:
    """Export what the store holds in non-RDF formats."""


@export.command()
@with_store_options
@click.option(
    "--article",
    "article_ids",
    multiple=True,
    metavar="ID",
    help="Only these articles (repeatable; default: all). An ID the store does not hold is"
    " a usage error (exit code 2), before anything is printed.",
)
@click.option(
    "--articles/--no-articles",
    "with_articles",
    default=True,
    show_default=True,
    help="Include the article metadata records (omitted when an article has no metadata).",
)
@handle_errors
def facts(
    store_path: Path | None,
    backend: str | None,
    backend_update: str | None,
    article_ids: tuple[str, ...],
    with_articles: bool,
) -> None:
    """Print every fact in the store as JSON Lines (the format `ingest` reads).

    Ingesting a facts file and exporting it gives the same facts back (lossless round
    trip); articles are printed in id order.
    """
    from diplograph.ingest.facts import Article, write_records
    from diplograph.ingest.from_rdf import records_from_graph
    from diplograph.ingest.pipeline import article_ids_in
    from diplograph.ontology.namespaces import article_graph
    from diplograph.store.terms import rdflib_graph

    store = open_store(store_path, backend, backend_update, create=False)
    snapshot = store.reader()
    stored = article_ids_in(snapshot.store)
    missing = sorted(set(article_ids) - set(stored))
    if missing:
        raise Unusable(f"no such article in {store.path}: {', '.join(missing)} (--article)")
    wanted = sorted(set(article_ids)) if article_ids else sorted(stored)
    for article_id in wanted:
        quads = snapshot.store.quads_for_pattern(
            None, None, None, ox.NamedNode(article_graph(article_id))
        )
        records = records_from_graph(rdflib_graph(quads))
        if not with_articles:
            records = [r for r in records if not isinstance(r, Article)]
        write_records(records, sys.stdout)


NETWORK_QUERY = """
PREFIX dg: <https://w3id.org/diplograph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?a ?b ?type (COUNT(DISTINCT ?e) AS ?events) (MIN(STR(?d)) AS ?first)
       (MAX(STR(?d)) AS ?last) WHERE {
  ?e a ?type ; dg:actor ?a ; dg:target ?b ; dg:negated false .
  ?type rdfs:subClassOf dg:Event .
  OPTIONAL { ?e dg:date ?d }
} GROUP BY ?a ?b ?type ORDER BY ?a ?b ?type
"""
NODE_QUERY = """
PREFIX dg: <https://w3id.org/diplograph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?n (SAMPLE(?l) AS ?label) (SAMPLE(?k) AS ?kind) (SAMPLE(?w) AS ?wikidata) WHERE {
  VALUES ?n { %s }
  OPTIONAL { ?n rdfs:label ?l }
  OPTIONAL { ?n a ?k . ?k rdfs:subClassOf* dg:Actor . FILTER(?k != dg:Actor) }
  OPTIONAL { ?n dg:wikidata ?w }
} GROUP BY ?n
"""


@export.command()
@with_store_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["graphml", "dot", "json"]),
    default="graphml",
    show_default=True,
    help="GraphML (Gephi, Cytoscape, networkx), Graphviz DOT, or JSON (nodes and edges).",
)
@handle_errors
def network(
    store_path: Path | None, backend: str | None, backend_update: str | None, output_format: str
) -> None:
    """Print the network of who did what to whom: one edge per (actor, target, event type).

    Edges count the non-negated events and give the first and last date; nodes carry
    their label, class and Wikidata IRI. Render DOT with `dot -Tsvg`, or open GraphML in Gephi.
    """

    store = open_store(store_path, backend, backend_update, create=False).reader().store
    edges = [
        {
            "source": row["a"].value,
            "target": row["b"].value,
            "type": row["type"].value.rsplit("#", 1)[-1],
            "events": int(row["events"].value),
            "first": row["first"].value if row["first"] else None,
            "last": row["last"].value if row["last"] else None,
        }
        for row in store.query(NETWORK_QUERY, use_default_graph_as_union=True)
    ]
    iris = sorted({e["source"] for e in edges} | {e["target"] for e in edges})
    nodes = {}
    if iris:
        values = " ".join(f"<{iri}>" for iri in iris)
        for row in store.query(NODE_QUERY % values, use_default_graph_as_union=True):
            nodes[row["n"].value] = {
                "id": row["n"].value,
                "label": row["label"].value if row["label"] else row["n"].value,
                "kind": row["kind"].value.rsplit("#", 1)[-1] if row["kind"] else None,
                "wikidata": row["wikidata"].value if row["wikidata"] else None,
            }
    node_list = [nodes.get(i, {"id": i, "label": i, "kind": None, "wikidata": None}) for i in iris]
    writer = {"graphml": _graphml, "dot": _dot, "json": _json}[output_format]
    sys.stdout.write(writer(node_list, edges))


def _json(nodes: list[dict], edges: list[dict]) -> str:
    import json

    return json.dumps({"nodes": nodes, "edges": edges}, indent=1, ensure_ascii=False) + "\n"


def _graphml(nodes: list[dict], edges: list[dict]) -> str:
    from xml.etree import ElementTree as ET

    ns = "http://graphml.graphdrawing.org/xmlns"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}graphml")
    keys = [
        ("label", "node", "string"),
        ("kind", "node", "string"),
        ("wikidata", "node", "string"),
        ("type", "edge", "string"),
        ("events", "edge", "int"),
        ("first", "edge", "string"),
        ("last", "edge", "string"),
    ]
    for name, domain, kind in keys:
        ET.SubElement(
            root,
            f"{{{ns}}}key",
            {"id": name, "for": domain, "attr.name": name, "attr.type": kind},
        )
    graph = ET.SubElement(root, f"{{{ns}}}graph", {"id": "diplograph", "edgedefault": "directed"})
    for node in nodes:
        element = ET.SubElement(graph, f"{{{ns}}}node", {"id": node["id"]})
        for key in ("label", "kind", "wikidata"):
            if node[key] is not None:
                ET.SubElement(element, f"{{{ns}}}data", {"key": key}).text = node[key]
    for number, edge in enumerate(edges):
        element = ET.SubElement(
            graph,
            f"{{{ns}}}edge",
            {"id": f"e{number}", "source": edge["source"], "target": edge["target"]},
        )
        for key in ("type", "events", "first", "last"):
            if edge[key] is not None:
                ET.SubElement(element, f"{{{ns}}}data", {"key": key}).text = str(edge[key])
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _dot(nodes: list[dict], edges: list[dict]) -> str:
    def quoted(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'

    lines = ["digraph diplograph {", "  rankdir=LR;", "  node [shape=box, style=rounded];"]
    for node in nodes:
        lines.append(f"  {quoted(node['id'])} [label={quoted(node['label'])}];")
    for edge in edges:
        label = f"{edge['type']} ×{edge['events']}"
        lines.append(
            f"  {quoted(edge['source'])} -> {quoted(edge['target'])} [label={quoted(label)}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"
