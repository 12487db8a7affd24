"""Validate article graphs against the Diplograph SHACL shapes.

Public API::

    validate(data: rdflib.Graph) -> ValidationReport
    check(data: rdflib.Graph) -> ValidationReport     # raises ShaclViolation if not conforming
    shapes_graph() -> rdflib.Graph                    # the parsed shapes (cached, do not modify)
    prepared_shapes() -> PreparedShapes               # pySHACL's shapes built once (cached)
    SHAPES_PATH, EXIT_CONFORMS (0), EXIT_VIOLATIONS (1), EXIT_ERROR (2)

Validation runs pySHACL on the asserted data alone (``inference="none"``, no ontology
mixed in, no SHACL-AF): the mapping asserts every type the shapes check, so reasoning would
only cost time. Without the ontology SHACL knows no rdfs:subClassOf, so the shapes target
every class of a hierarchy themselves (dgsh:Event: dg:Event and the 12 event classes) and
require the types the mapping asserts (an event typed dg:Meeting must also be a dg:Event).
The shapes file is parsed, and pySHACL's shapes and constraint components
are built, once per process (:mod:`diplograph.shapes.prepared`): a call pays only for the
data, with the same results as ``pyshacl.validate``. Validating many articles at once is
cheaper per article than one by one (one pass over the shapes): pass their union.

Exit-code semantics follow the pySHACL CLI: 0 conforms, 1 does not conform, 2 the
validation itself failed (:class:`ShaclError`); ``ValidationReport.exit_code`` gives 0 or 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import RDF, BNode, Graph, URIRef
from rdflib.namespace import PROV, SH
from rdflib.term import Node

from diplograph.ontology.namespaces import ARTICLE_PREFIX, EVENT_PREFIX
from diplograph.shapes.prepared import PreparedShapes

#: The shapes document, shipped as package data.
SHAPES_PATH = Path(__file__).with_name("diplograph.shacl.ttl")

EXIT_CONFORMS = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2


class ShaclError(RuntimeError):
    """The validation could not be run (broken shapes, pySHACL failure): exit code 2."""

    exit_code = EXIT_ERROR


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL validation result, with the article and event it concerns when known."""

    focus_node: str
    article_id: str | None
    event: str | None
    shape: str
    path: str | None
    component: str
    severity: str
    message: str
    value: str | None = None

    def format(self) -> str:
        where = f"article {self.article_id}" if self.article_id else "no article"
        lines = [
            f"[{self.severity}] {self.message}",
            f"    shape: {self.shape}",
            f"    focus: <{self.focus_node}> ({where})",
        ]
        if self.event and self.event != self.focus_node:
            lines.append(f"    event: <{self.event}>")
        details = f"    constraint: {self.component}"
        if self.path:
            details += f", path: {self.path}"
        if self.value is not None:
            details += f", value: {self.value}"
        lines.append(details)
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """Outcome of a validation: conforms, and every result sorted by article, node, shape."""

    conforms: bool
    violations: tuple[Violation, ...] = field(default=())

    @property
    def exit_code(self) -> int:
        return EXIT_CONFORMS if self.conforms else EXIT_VIOLATIONS

    def format(self) -> str:
        if self.conforms:
            return "Conforms: the data satisfies every Diplograph shape."
        head = f"Does not conform: {len(self.violations)} violation(s)."
        return "\n".join([head, *(v.format() for v in self.violations)])


class ShaclViolation(ValueError):
    """Raised by the pipeline when data does not conform; carries the full report."""

    exit_code = EXIT_VIOLATIONS

    def __init__(self, report: ValidationReport):
        self.report = report
        super().__init__(report.format())


@cache
def shapes_graph() -> Graph:
    """The shapes graph, parsed once. Shared: callers must not modify it."""
    graph = Graph()
    graph.parse(SHAPES_PATH, format="turtle")
    return graph


@cache
def prepared_shapes() -> PreparedShapes:
    """pySHACL's shapes and constraint components for :func:`shapes_graph`, built once."""
    return PreparedShapes(shapes_graph())


@cache
def _shape_names() -> dict[Node, str]:
    """Readable names for shapes: prefixed IRI, or 'parent › sh:name' for property shapes."""
    graph = shapes_graph()
    names: dict[Node, str] = {}
    for shape in set(graph.subjects(RDF.type, SH.NodeShape)):
        names[shape] = graph.namespace_manager.normalizeUri(shape)
    for parent, prop in graph.subject_objects(SH.property):
        label = graph.value(prop, SH.name) or graph.value(prop, SH.path)
        parent_name = names.get(parent, "shape")
        names[prop] = f"{parent_name} › {label}"
    return names


def validate(data: Graph) -> ValidationReport:
    """Validate ``data`` (one or many article graphs, asserted triples only)."""
    try:
        conforms, results, _text = prepared_shapes().validate(data)
    except Exception as error:  # pySHACL raises many unrelated types
        raise ShaclError(f"SHACL validation failed: {error}") from error
    if not isinstance(results, Graph):
        raise ShaclError("pySHACL returned no results graph")
    violations = [_violation(results, node, data) for node in results.objects(None, SH.result)]
    violations.sort(key=lambda v: (v.article_id or "", v.focus_node, v.shape, v.message))
    return ValidationReport(conforms=bool(conforms), violations=tuple(violations))


def check(data: Graph) -> ValidationReport:
    """Validate and raise :class:`ShaclViolation` unless the data conforms."""
    report = validate(data)
    if not report.conforms:
        raise ShaclViolation(report)
    return report


def _violation(results: Graph, node: Node, data: Graph) -> Violation:
    focus = results.value(node, SH.focusNode)
    shape = results.value(node, SH.sourceShape)
    path = results.value(node, SH.resultPath)
    component = results.value(node, SH.sourceConstraintComponent)
    severity = results.value(node, SH.resultSeverity)
    message = results.value(node, SH.resultMessage)
    value = results.value(node, SH.value)
    names = _shape_names()
    qname = shapes_graph().namespace_manager.normalizeUri
    article_id, event = _locate(focus, data)
    return Violation(
        focus_node=str(focus),
        article_id=article_id,
        event=event,
        shape=names.get(shape, str(shape)) if shape is not None else "?",
        path=qname(path) if isinstance(path, URIRef) else None,
        component=qname(component) if isinstance(component, URIRef) else str(component),
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        message=str(message) if message is not None else "constraint not satisfied",
        value=None if value is None or isinstance(value, BNode) else str(value),
    )


def _locate(focus: Node | None, data: Graph) -> tuple[str | None, str | None]:
    """The article id and event IRI a focus node belongs to, when it belongs to one."""
    text = str(focus)
    if text.startswith(EVENT_PREFIX):
        article_id, _, rest = text.removeprefix(EVENT_PREFIX).partition("/")
        digest = rest.split("/", 1)[0]
        return article_id, EVENT_PREFIX + article_id + "/" + digest
    if text.startswith(ARTICLE_PREFIX):
        return text.removeprefix(ARTICLE_PREFIX), None
    if focus is None:
        return None, None
    # an entity or a run: attribute it to an article only when exactly one refers to it
    events = {s for s, _p in data.subject_predicates(focus) if str(s).startswith(EVENT_PREFIX)}
    events |= set(data.subjects(PROV.wasGeneratedBy, focus))
    articles = {data.value(e, PROV.wasDerivedFrom) for e in events} - {None}
    if len(articles) == 1:
        (article,) = articles
        return str(article).removeprefix(ARTICLE_PREFIX), None
    return None, None
