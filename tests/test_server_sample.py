"""The server tests' sample data is data that ingest could have written.

Every server test reads ``tests/data/server-sample.trig``; if it drifted from the shapes
that guard the real graph (an old datatype, a missing provenance link), the server would
be tested on data it can never hold.
"""

from __future__ import annotations

import pyoxigraph as ox

from diplograph.ontology.namespaces import INFERRED_GRAPH
from diplograph.shapes.validate import validate
from diplograph.store.terms import rdflib_graph
from tests import server_fixtures


def test_the_sample_articles_conform_to_the_shapes():
    quads = ox.parse(path=server_fixtures.SAMPLE_TRIG, format=ox.RdfFormat.TRIG)
    asserted = rdflib_graph(q for q in quads if q.graph_name != ox.NamedNode(INFERRED_GRAPH))
    assert len(asserted) > 100
    report = validate(asserted)
    assert report.conforms, report.format()
