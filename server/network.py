"""Server-rendered SVG pictures of the state-level relation network (no JavaScript: works
under the pages' strict CSP).

The relations are those OWL RL reasoning concluded into the inferred graph (the
sub-properties of ``dg:stateRelation``, e.g. "accused", "has diplomatic ties with"), the
same the entity pages list. Two layouts, both deterministic so a page's ETag holds:

* ``ego``: one entity in the middle, the entities it has the most kinds of relation with
  on a circle around it, grouped by tone (cooperation, mixed, conflict);
* ``overview``: the most connected entities on a circle, each pair's relations as one
  curve bowed towards the centre (straight chords would all cross in the middle); arrows
  when one directed relation is shown.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

DG = "https://w3id.org/diplograph/ontology#"

#: Relations that express disagreement or a break (CAMEO roots 11-16 and denials of a
#: claim). Every other state relation expresses cooperation or contact; a test checks that
#: the two sets cover every sub-property of dg:stateRelation in the ontology.
CONFLICT_RELATIONS = frozenset(
    DG + name
    for name in (
        "severedTiesWith",
        "accused",
        "accusedBy",
        "sanctioned",
        "sanctionedBy",
        "deniedClaimOf",
        "claimDeniedBy",
        "protestedAgainst",
        "protestedBy",
    )
)
COOPERATION_RELATIONS = frozenset(
    DG + name
    for name in (
        "hasVisited",
        "visitedBy",
        "metWith",
        "signedAgreementWith",
        "hasDiplomaticTiesWith",
        "recognized",
        "recognizedBy",
        "supports",
        "supportedBy",
        "cooperatesMilitarilyWith",
    )
)
TONES = ("cooperation", "mixed", "conflict")

EGO_SIZE = (720, 520)
OVERVIEW_SIZE = 760
#: Counterparts drawn around an entity; the rest are counted under the picture.
EGO_LIMIT = 24
LABEL_GAP = 10


def tone(relations: Iterable[str]) -> str:
    """ "conflict", "cooperation" or "mixed" for the relations between two entities."""
    kinds = {rel in CONFLICT_RELATIONS for rel in relations}
    if kinds == {True}:
        return "conflict"
    if kinds == {False}:
        return "cooperation"
    return "mixed"


@dataclass(frozen=True)
class Node:
    x: float
    y: float
    r: float
    label: str
    href: str | None
    title: str
    label_x: float
    label_y: float
    anchor: str
    css: str


@dataclass(frozen=True)
class Edge:
    path: str
    width: float
    css: str
    title: str
    arrow: bool


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    #: Entities with relations that the picture leaves out (beyond its limit).
    hidden: int


Labeller = Callable[[str], str]
Linker = Callable[[str], str | None]


def _on_circle(
    cx: float, cy: float, radius: float, index: int, count: int
) -> tuple[float, float, float]:
    """Position ``index`` of ``count`` evenly spaced on a circle, from 12 o'clock clockwise,
    and its angle."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle


def _label_place(x: float, y: float, angle: float, r: float) -> tuple[float, float, str]:
    """Outside the node, away from the centre; anchored so the text never runs inwards."""
    cos, sin = math.cos(angle), math.sin(angle)
    anchor = "start" if cos > 0.2 else "end" if cos < -0.2 else "middle"
    gap = r + LABEL_GAP
    return (
        round(x + gap * cos, 1),
        round(y + gap * sin + 4 + (6 * sin if abs(sin) > 0.9 else 0), 1),
        anchor,
    )


def relation_names(relations: Iterable[str], label: Labeller) -> str:
    return ", ".join(sorted(label(rel) for rel in relations))


def ego(
    centre: str,
    relations: Iterable[tuple[str, str]],
    label: Labeller,
    link: Linker,
    limit: int = EGO_LIMIT,
) -> Picture | None:
    """``centre`` and the counterparts of its ``(relation, other)`` pairs; None without any.

    Counterparts are ranked by how many kinds of relation they have with the centre (then
    by name), the first ``limit`` drawn, grouped by tone around the circle.
    """
    by_other: dict[str, set[str]] = {}
    for relation, other in relations:
        if other != centre:
            by_other.setdefault(other, set()).add(relation)
    if not by_other:
        return None
    ranked = sorted(by_other, key=lambda o: (-len(by_other[o]), label(o).casefold(), o))
    shown = ranked[:limit]
    shown.sort(key=lambda o: (TONES.index(tone(by_other[o])), label(o).casefold(), o))
    width, height = EGO_SIZE
    cx, cy = width / 2, height / 2
    radius = min(cx, cy) - 70
    centre_name = label(centre)
    nodes = [
        Node(cx, cy, 14, centre_name, link(centre), centre_name, cx, cy + 30, "middle", "centre")
    ]
    edges = []
    for i, other in enumerate(shown):
        x, y, angle = _on_circle(cx, cy, radius, i, len(shown))
        x, y = round(x, 1), round(y, 1)
        rels = by_other[other]
        r = 5 + min(len(rels), 6)
        lx, ly, anchor = _label_place(x, y, angle, r)
        names = relation_names(rels, label)
        title = f"{centre_name} – {label(other)}: {names}"
        nodes.append(Node(x, y, r, label(other), link(other), title, lx, ly, anchor, "node"))
        edges.append(
            Edge(f"M{cx},{cy} L{x},{y}", _width(len(rels)), f"tie-{tone(rels)}", title, False)
        )
    return Picture(width, height, tuple(nodes), tuple(edges), len(ranked) - len(shown))


@dataclass(frozen=True)
class Tie:
    """One drawn connection: ``relations`` read from ``source`` to ``target``."""

    source: str
    target: str
    relations: frozenset[str]


def overview(
    entities: list[str],
    ties: Iterable[Tie],
    label: Labeller,
    link: Linker,
    directed: bool,
    hidden: int = 0,
) -> Picture | None:
    """``entities`` (in the given order, most connected first) on a circle with ``ties``
    between them; node size grows with the number of drawn ties. None without entities."""
    if not entities:
        return None
    size = OVERVIEW_SIZE
    c = size / 2
    radius = c - 130
    place = {e: _on_circle(c, c, radius, i, len(entities)) for i, e in enumerate(entities)}
    ties = [t for t in ties if t.source in place and t.target in place and t.source != t.target]
    degree: dict[str, int] = {}
    for t in ties:
        degree[t.source] = degree.get(t.source, 0) + 1
        degree[t.target] = degree.get(t.target, 0) + 1
    top = max(degree.values(), default=1)
    radii = {e: round(4 + 8 * math.sqrt(degree.get(e, 0) / top), 1) for e in entities}
    edges = []
    for t in sorted(ties, key=lambda t: (tone(t.relations), t.source, t.target)):
        (x1, y1, _), (x2, y2, _) = place[t.source], place[t.target]
        # Control point: the chord's middle pulled towards the centre, the more the longer
        # the chord: neighbours get a nearly straight line, distant pairs a deep bow.
        pull = 1 - 0.6 * math.hypot(x2 - x1, y2 - y1) / (2 * radius)
        qx, qy = c + pull * ((x1 + x2) / 2 - c), c + pull * ((y1 + y2) / 2 - c)
        if directed:  # end the curve on the target's rim, so the arrowhead shows
            dx, dy = x2 - qx, y2 - qy
            shorten = (radii[t.target] + 2) / (math.hypot(dx, dy) or 1)
            x2, y2 = x2 - dx * shorten, y2 - dy * shorten
        names = relation_names(t.relations, label)
        edges.append(
            Edge(
                f"M{x1:.1f},{y1:.1f} Q{qx:.1f},{qy:.1f} {x2:.1f},{y2:.1f}",
                _width(len(t.relations)),
                f"tie-{tone(t.relations)}",
                f"{label(t.source)} – {label(t.target)}: {names}",
                directed,
            )
        )
    nodes = []
    for e in entities:
        x, y, angle = place[e]
        r = radii[e]
        lx, ly, anchor = _label_place(x, y, angle, r)
        nodes.append(
            Node(
                round(x, 1),
                round(y, 1),
                r,
                label(e),
                link(e),
                f"{label(e)}: {degree.get(e, 0)} connection(s) in this picture",
                lx,
                ly,
                anchor,
                "node",
            )
        )
    return Picture(size, size, tuple(nodes), tuple(edges), hidden)


def _width(kinds: int) -> float:
    """Line width grows with the number of kinds of relation, up to 5 px."""
    return round(min(1.0 + 0.7 * (kinds - 1), 5.0), 1)


def ties_from(triples: Iterable[tuple[str, str, str]], directed: bool) -> list[Tie]:
    """Ties from ``(subject, relation, object)`` triples of the inferred graph.

    Directed: one tie per (subject, object). Otherwise one per unordered pair, its
    relations read from the pair's first entity: the inferred graph holds every relation
    in both directions (inverse and symmetric properties), so nothing is lost.
    """
    pairs: dict[tuple[str, str], set[str]] = {}
    for s, rel, o in triples:
        if s == o or (not directed and s > o):
            continue
        pairs.setdefault((s, o), set()).add(rel)
    return [Tie(s, o, frozenset(rels)) for (s, o), rels in sorted(pairs.items())]
