"""pySHACL with the shapes prepared once per process, for validating many small graphs.

``pyshacl.validate`` rebuilds everything derived from the shapes on every call, and inside
one call it rebuilds it again for every (shape, focus node) pair: each ``Shape.validate``
scans the shape's triples for constraint parameters (a linear search of a list, with
Python-level term equality) and constructs fresh constraint-component objects, which re-read
their parameters (``sh:in`` lists, counts, patterns) from the shapes graph. On a 300-triple
article that setup is three quarters of the time.

Here the same pySHACL objects are built once and reused:

* :class:`FrozenGraph` memoises triple-pattern lookups on the read-only shapes graph;
* :class:`PreparedShape` is pySHACL's ``Shape`` with its constraint components built once;
* :class:`PreparedShapes` holds one pySHACL ``ShapesGraph`` of prepared shapes and runs
  pySHACL's own ``Validator`` with it on each data graph.

The constraint components, target and path evaluation and the report are pySHACL's: only
their construction is cached. Nothing data-dependent is cached (components keep only their
parameters, plus compiled regexes), so one call cannot leak into the next. The prepared
shapes cover the options Diplograph uses (no inference, no SHACL-AF, no SHACL-JS, no SPARQL
mode, all severities fail, no focus-node filter); for any other executor setting a shape
falls back to pySHACL's unmodified ``Shape.validate``. Calls are serialised by a lock, since
the memo and the compiled-regex caches are shared.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Any

from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from pyshacl.errors import ConstraintLoadWarning, ReportableRuntimeError
from pyshacl.graph_abstraction import DataGraph
from pyshacl.monkey import apply_patches
from pyshacl.shape import Shape
from pyshacl.shapes_graph import ShapesGraph
from pyshacl.validator import Validator
from rdflib import Graph, Literal
from rdflib.term import IdentifiedNode

LOG = logging.getLogger(__name__)

#: Validator options equivalent to ``pyshacl.validate(inference="none", advanced=False,
#: abort_on_first=False, allow_warnings=False, meta_shacl=False, debug=False)``.
OPTIONS: dict[str, Any] = {
    "debug": False,
    "inference": "none",
    "inplace": False,  # pySHACL skips the data clone anyway when nothing is inferred
    "abort_on_first": False,
    "allow_infos": False,
    "allow_warnings": False,
    "advanced": False,
    "iterate_rules": False,
    "use_js": None,
    "sparql_mode": False,
    "focus_nodes": None,
    "use_shapes": None,
}

_PARAMETERS = frozenset(ALL_CONSTRAINT_PARAMETERS)


class FrozenGraph(Graph):
    """A graph whose triple-pattern lookups are memoised; any change clears the memo.

    Meant for the shapes graph, which pySHACL only reads (apart from adding two system
    triples when it wraps the graph, which are already present after the first time).
    Lookups are keyed by shapes-graph nodes, so the memo stays small; it is bounded anyway.
    """

    MAX_PATTERNS = 100_000

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._memo: dict[tuple, tuple] = {}

    def triples(self, triple: Any) -> Iterator[Any]:  # type: ignore[override]
        try:
            found = self._memo.get(triple)
        except TypeError:  # an unhashable pattern: not memoised
            return super().triples(triple)
        if found is None:
            if len(self._memo) >= self.MAX_PATTERNS:
                self._memo.clear()
            found = self._memo[triple] = tuple(super().triples(triple))
        return iter(found)

    def add(self, triple: Any) -> FrozenGraph:
        if triple not in self:
            self._memo.clear()
            super().add(triple)
        return self

    def addN(self, quads: Any) -> FrozenGraph:
        self._memo.clear()
        super().addN(quads)
        return self

    def remove(self, triple: Any) -> FrozenGraph:
        self._memo.clear()
        super().remove(triple)
        return self


class PreparedShape(Shape):
    """pySHACL's ``Shape`` with its constraint components constructed once, not per call."""

    __slots__ = ("_components",)

    def components(self) -> list[Any]:
        """The constraint components of this shape, in pySHACL's order (built on first use)."""
        try:
            return self._components
        except AttributeError:
            pass
        components: list[Any] = []
        seen: set[type] = set()
        for parameter, _value in self.sg.predicate_objects(self.node):
            if parameter not in _PARAMETERS:
                continue
            component_class = CONSTRAINT_PARAMETERS_MAP[parameter]
            if component_class in seen:
                continue
            seen.add(component_class)
            try:
                components.append(component_class(self))
            except ConstraintLoadWarning as warning:  # pySHACL skips these, and so do we
                self.logger.warning(repr(warning))
        self._components = components
        return components

    def validate(
        self,
        executor: Any,
        target_graph: Any,
        focus: Any = None,
        _evaluation_path: list | None = None,
    ) -> tuple[bool, list]:
        """Same results as ``Shape.validate``, minus the per-call constraint construction."""
        if (
            self.sg.js_enabled
            or self._advanced
            or executor.debug
            or executor.sparql_mode
            or executor.allow_infos
            or executor.allow_warnings
            or executor.focus_nodes
        ):
            return super().validate(executor, target_graph, focus, _evaluation_path)
        if self.deactivated:
            return True, []
        if focus is None:
            focus_list = list(self.focus_nodes(target_graph))
        elif isinstance(focus, (IdentifiedNode, Literal)):
            focus_list = [focus]
        else:
            focus_list = list(focus)
        if not focus_list:
            return True, []
        if _evaluation_path is None:
            _evaluation_path = []
        elif len(_evaluation_path) // 2 >= executor.max_validation_depth:
            path_str = " -> ".join(str(e) for e in _evaluation_path)
            raise ReportableRuntimeError(f"Validation path too deep!\n{path_str}")
        focus_value_nodes = self.value_nodes(target_graph, focus_list)
        _evaluation_path.append(self)
        conforms = True
        reports: list = []
        for component in self.components():
            ok, found = component.evaluate(
                executor, target_graph, focus_value_nodes, [*_evaluation_path, component]
            )
            conforms = conforms and ok
            reports.extend(found)
            if not conforms and executor.abort_on_first:
                return False, reports
        for custom in self.find_custom_constraints():
            if not conforms and executor.abort_on_first:
                break
            validator = custom.make_validator_for_shape(self)
            ok, found = validator.evaluate(
                executor, target_graph, focus_value_nodes, [*_evaluation_path, validator]
            )
            conforms = conforms and ok
            reports.extend(found)
        return conforms, reports


class PreparedShapes:
    """One pySHACL ``ShapesGraph`` of prepared shapes, reused by every validation."""

    def __init__(self, shapes: Graph) -> None:
        apply_patches()  # what pyshacl.validate does before each run (a no-op on rdflib 7)
        self.graph = FrozenGraph(identifier=shapes.identifier)
        for prefix, namespace in shapes.namespaces():
            self.graph.bind(prefix, namespace, override=True, replace=True)
        self.graph.addN((s, p, o, self.graph) for s, p, o in shapes)  # same term objects
        self.shapes_graph = ShapesGraph(self.graph, False, LOG)
        self.shapes_graph.shapes  # noqa: B018 (the property harvests the shapes)
        cache = self.shapes_graph._node_shape_cache
        for node, shape in list(cache.items()):
            prepared = PreparedShape(
                self.shapes_graph, node, p=shape.is_property_shape, path=shape.path(), logger=LOG
            )
            prepared.components()
            cache[node] = prepared
        self._lock = threading.Lock()

    def validate(self, data: Graph) -> tuple[bool, Graph, str]:
        """pySHACL's (conforms, results graph, results text) for ``data`` (not modified)."""
        with self._lock:
            validator = Validator(
                DataGraph.from_rdflib(data),
                shacl_graph=self.graph,
                options={**OPTIONS, "logger": LOG},
            )
            validator.shacl_graph = self.shapes_graph
            return validator.run()
