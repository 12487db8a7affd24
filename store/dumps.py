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
    counter = _Counter()
    with _HashingFile(path) as sink:
        items = counter.wrap(_items_for(store, spec.name))
        with gzip.GzipFile(
            filename="", mode="wb", fileobj=sink, compresslevel=GZIP_LEVEL, mtime=0
        ) as gz:
            prefixes = PREFIXES if spec.rdf_format is ox.RdfFormat.TURTLE else None
            ox.serialize(items, gz, spec.rdf_format, prefixes=prefixes)
    return {
        "name": spec.name,
        "description": spec.description,
        "media_type": spec.media_type,
        "encoding": "gzip",
        "triples": counter.count,
        "bytes": sink.size,
        "sha256": sink.hexdigest,
    }


def read_manifest(folder: Path) -> list[dict[str, Any]]:
    """The manifest entries of a dumps folder ([] when the version has no dumps)."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    except FileNotFoundError:
        return []


def _items_for(store: ox.Store, name: str) -> Iterator[ox.Triple] | Iterator[ox.Quad]:
    if name == "all.nq.gz":
        return iter(store)
    if name == "ontology.ttl.gz":
        return _triples(store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_GRAPH)))
    if name == "inferred.ttl.gz":
        return _triples(store.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED_GRAPH)))
    # Asserted: every graph but the ontology and the inferred one, deduplicated because the
    # same entity label can be asserted by several articles.
    query = f"""
        CONSTRUCT {{ ?s ?p ?o }} WHERE {{
          SELECT DISTINCT ?s ?p ?o WHERE {{
            GRAPH ?g {{ ?s ?p ?o }}
            FILTER(?g != <{ONTOLOGY_GRAPH}> && ?g != <{INFERRED_GRAPH}>)
          }}
        }}"""
    return iter(store.query(query))


def _triples(quads: Iterator[ox.Quad]) -> Iterator[ox.Triple]:
    for quad in quads:
        yield ox.Triple(quad.subject, quad.predicate, quad.object)


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
