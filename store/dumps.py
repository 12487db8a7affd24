"""Downloadable dumps of one store version: gzip files plus a manifest with counts and hashes.

Users load these into their own triple store, so each file states its triple count, size
and SHA-256. Serialisation is pyoxigraph's (native, streaming); only counting passes
through Python.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from diplograph.ontology.namespaces import DG, INFERRED_GRAPH, ONTOLOGY_GRAPH

MANIFEST = "manifest.json"
#: gzip level: 1 is 3-4x faster than 6 on N-Quads for ~10 % larger files; dumps are
#: regenerated on every ingest, so speed wins.
GZIP_LEVEL = 1

PREFIXES: dict[str, str] = {
    "dg": str(DG),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "dcterms": "http://purl.org/dc/terms/",
    "wd": "http://www.wikidata.org/entity/",
}


@dataclass(frozen=True)
class DumpSpec:
    name: str
    description: str
    media_type: str
    rdf_format: ox.RdfFormat


DUMPS: tuple[DumpSpec, ...] = (
    DumpSpec(
        "asserted.ttl.gz",
        "Asserted facts: every article graph (and graphs loaded as-is), merged, Turtle",
        "text/turtle",
        ox.RdfFormat.TURTLE,
    ),
    DumpSpec(
        "inferred.ttl.gz",
        "Triples inferred by OWL RL reasoning (the inferred graph), Turtle",
        "text/turtle",
        ox.RdfFormat.TURTLE,
    ),
    DumpSpec(
        "ontology.ttl.gz", "The Diplograph ontology, Turtle", "text/turtle", ox.RdfFormat.TURTLE
    ),
    DumpSpec(
        "all.nq.gz",
        "Everything, with named graphs, N-Quads",
        "application/n-quads",
        ox.RdfFormat.N_QUADS,
    ),
)


def write_dumps(store: ox.Store, folder: Path) -> list[dict[str, Any]]:
    """Write every dump of ``store`` into ``folder`` and return the manifest entries."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = [write_dump(store, folder, spec) for spec in DUMPS]
    (folder / MANIFEST).write_text(
        json.dumps({"files": entries}, indent=1) + "\n", encoding="utf-8"
    )
    return entries


def write_dump(store: ox.Store, folder: Path, spec: DumpSpec) -> dict[str, Any]:
    """Write one dump file into ``folder``; returns its manifest entry (no manifest written)."""
    path = folder / spec.name
    with (
        _HashingFile(path) as sink,
        gzip.GzipFile(
            filename="", mode="wb", fileobj=sink, compresslevel=GZIP_LEVEL, mtime=0
        ) as gz,
    ):
        count = _write_items(store, spec, _LineCounter(gz))
    return {
        "name": spec.name,
        "description": spec.description,
        "media_type": spec.media_type,
        "encoding": "gzip",
        "triples": count,
        "bytes": sink.size,
        "sha256": sink.hexdigest,
    }


def _write_items(store: ox.Store, spec: DumpSpec, out: _LineCounter) -> int:
    """Serialise one dump into ``out``; returns its number of triples (or quads).

    Whole graphs and the whole dataset are written by ``Store.dump``, natively, term by
    term without a Python object per triple; N-Quads are counted by their lines (one
    statement per line, newlines in literals are escaped) and single graphs by a native
    COUNT. Only the merged asserted Turtle needs a query (to drop duplicates) whose
    triples pass through Python.
    """
    if spec.name == "all.nq.gz":
        store.dump(out, format=ox.RdfFormat.N_QUADS)
        return out.lines
    if spec.name in ("ontology.ttl.gz", "inferred.ttl.gz"):
        graph = ox.NamedNode(ONTOLOGY_GRAPH if spec.name == "ontology.ttl.gz" else INFERRED_GRAPH)
        store.dump(out, format=ox.RdfFormat.TURTLE, from_graph=graph, prefixes=PREFIXES)
        rows = store.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}"
        )
        return int(next(iter(rows))["n"].value)
    counter = _Counter()
    ox.serialize(counter.wrap(_asserted(store)), out, spec.rdf_format, prefixes=PREFIXES)
    return counter.count


def read_manifest(folder: Path | None) -> list[dict[str, Any]]:
    """The manifest entries of a dumps folder; [] when there is none or it is unreadable."""
    if folder is None:
        return []
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    files = data.get("files", []) if isinstance(data, dict) else []
    return [f for f in files if isinstance(f, dict) and isinstance(f.get("name"), str)]


def _asserted(store: ox.Store) -> Iterator[ox.Triple]:
    """Every graph but the ontology and the inferred one, merged and deduplicated (the same
    entity label is asserted by every article that names the entity)."""
    query = f"""
        CONSTRUCT {{ ?s ?p ?o }} WHERE {{
          SELECT DISTINCT ?s ?p ?o WHERE {{
            GRAPH ?g {{ ?s ?p ?o }}
            FILTER(?g != <{ONTOLOGY_GRAPH}> && ?g != <{INFERRED_GRAPH}>)
          }}
        }}"""
    return iter(store.query(query))


class _LineCounter:
    """A binary writer that counts the newlines passing through it."""

    def __init__(self, target: Any):
        self._target = target
        self.lines = 0

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        return self._target.write(data)

    def flush(self) -> None:
        self._target.flush()


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    def wrap(self, items: Iterator[Any]) -> Iterator[Any]:
        for item in items:
            self.count += 1
            yield item


class _HashingFile:
    """A binary file that hashes and counts what is written to it."""

    def __init__(self, path: Path):
        self._handle = open(path, "wb")  # noqa: SIM115 - closed in __exit__
        self._hash = hashlib.sha256()
        self.size = 0
        self.hexdigest = ""

    def write(self, data: bytes) -> int:
        self._hash.update(data)
        self.size += len(data)
        return self._handle.write(data)

    def flush(self) -> None:
        self._handle.flush()

    def __enter__(self) -> _HashingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        self.hexdigest = self._hash.hexdigest()
