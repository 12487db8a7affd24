"""Seeded synthetic diplomacy graphs, mapped through Diplograph's own RDF mapping.

Why synthetic: the benchmark needs graphs of 10k, 100k and 1M triples with the shape real
data will have, and no corpus of that size can ship with the repository. The generator
builds *facts* (the interchange format) for article-sized batches and maps each article
with :func:`diplograph.ingest.to_rdf.article_to_graph`, so every triple has exactly the
form the pipeline writes; only the facts are invented.

The world: the ~200 states and ~50 intergovernmental organisations of the shipped
gazetteer (real names and Wikidata QIDs), their capitals, and a few thousand fictional
persons who act for a state. Activity is skewed the way news is (a few states appear in
most stories: Zipf weights), events have dates spread over ten years, statuses, negations
and attributions at realistic rates, places and multilateral participants.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from diplograph.ingest.facts import FACT_TYPES, Article, Entity, Fact
from diplograph.ingest.gazetteer import Gazetteer
from diplograph.ingest.to_rdf import IngestRun, article_to_graph
from diplograph.ontology.namespaces import DG, article_graph
from diplograph.ontology.terms import EVENT_CLASS, KIND_CLASS
from diplograph.store.terms import to_oxigraph

#: Bump when the generated data changes, so cached datasets are rebuilt.
GENERATOR_VERSION = 2
IGO_COUNT = 50
PERSONS_PER_STATE = 15
FIRST_DATE = date(2015, 1, 1)
DAYS = 3650

#: One fixed run for all synthetic articles: deterministic output for a given seed.
SYNTHETIC_RUN = IngestRun(
    id="bench-synthetic",
    started_at=datetime(2026, 1, 1, tzinfo=UTC),
    extractor="diplograph bench synthetic generator",
    extractor_version=str(GENERATOR_VERSION),
)

_FIRST = [
    "Amara",
    "Ana",
    "Andrei",
    "Aziz",
    "Beatriz",
    "Chen",
    "Dmitri",
    "Elena",
    "Farid",
    "Fatima",
    "Hana",
    "Hugo",
    "Ibrahim",
    "Ingrid",
    "Jamal",
    "Jorge",
    "Kofi",
    "Laila",
    "Lars",
    "Lucia",
    "Malik",
    "Marta",
    "Mei",
    "Nadia",
    "Nikolai",
    "Olga",
    "Omar",
    "Pablo",
    "Priya",
    "Rafael",
    "Sara",
    "Sergei",
    "Sofia",
    "Tariq",
    "Tomas",
    "Yara",
    "Yusuf",
    "Zara",
    "Kenji",
    "Aisha",
    "Pedro",
    "Ines",
    "Viktor",
    "Leila",
    "Samuel",
    "Noura",
]
_LAST = [
    "Abadi",
    "Alvarez",
    "Bakr",
    "Castro",
    "Chowdhury",
    "Dossou",
    "Eriksen",
    "Fonseca",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kamara",
    "Kowalski",
    "Lindqvist",
    "Mbeki",
    "Moreau",
    "Nakamura",
    "Novak",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rahman",
    "Rossi",
    "Santos",
    "Schmidt",
    "Silva",
    "Tanaka",
    "Uribe",
    "Varga",
    "Wang",
    "Weber",
    "Yilmaz",
    "Zhou",
    "Osei",
    "Banda",
    "Farah",
    "Gomez",
    "Haidari",
]
_OFFICES = (
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Defence Minister",
    "Ambassador",
    "Trade Minister",
)

#: fact type -> (relative frequency, evidence templates with {a} actor, {t} target, {x} topic)
_TYPES: dict[str, tuple[int, tuple[str, ...]]] = {
    "official_visit": (
        12,
        (
            "{a} paid an official visit to {t} to discuss {x}.",
            "The leader of {a} arrived in {t} on a state visit focused on {x}.",
        ),
    ),
    "meeting": (
        20,
        (
            "Officials from {a} met their counterparts from {t} to discuss {x}.",
            "{a} and {t} held talks on {x} on the sidelines of the summit.",
        ),
    ),
    "agreement_signing": (
        9,
        (
            "{a} signed an agreement with {t} on {x}.",
            "{a} and {t} concluded a memorandum of understanding covering {x}.",
        ),
    ),
    "relations_established": (
        2,
        ("{a} established diplomatic relations with {t}.",),
    ),
    "relations_severed": (
        1,
        ("{a} cut diplomatic ties with {t}, citing {x}.",),
    ),
    "recognition": (2, ("{a} formally recognised {t}.",)),
    "accusation": (
        11,
        (
            "{a} accused {t} of undermining {x}.",
            "{a} said {t} was responsible for violations of {x}.",
        ),
    ),
    "support": (
        9,
        (
            "{a} voiced its support for {t} on {x}.",
            "{a} pledged to back {t} in its efforts on {x}.",
        ),
    ),
    "military_cooperation": (
        5,
        ("{a} and {t} agreed to expand military cooperation, including {x}.",),
    ),
    "sanctions": (
        6,
        ("{a} imposed sanctions on {t} over {x}.", "{a} announced new sanctions against {t}."),
    ),
    "denial": (
        4,
        ("{a} denied claims by {t} about {x}.",),
    ),
    "protest": (
        5,
        (
            "{a} staged protests against {t} over {x}.",
            "Supporters of {a} rallied outside the embassy of {t} to protest against {x}.",
        ),
    ),
}
_TOPICS = (
    "trade",
    "energy security",
    "the ceasefire",
    "border demarcation",
    "climate finance",
    "maritime security",
    "nuclear non-proliferation",
    "migration",
    "debt relief",
    "cyber attacks",
    "human rights",
    "fisheries",
    "grain exports",
    "a pipeline project",
    "counter-terrorism",
)
_STATUS_WEIGHTS = {
    "occurred": 70,
    "announced": 8,
    "agreed": 6,
    "planned": 5,
    "ongoing": 4,
    "alleged": 3,
    "cancelled": 2,
    "stance": 2,
}
_OUTLETS = ("Global Wire", "Daily Courier", "Capital Times", "World Report", "Press Agency")
#: Typical articles name a handful of events.
_FACTS_PER_ARTICLE = (3, 14)


@dataclass(frozen=True)
class World:
    """The entities the synthetic news is about."""

    states: tuple[Entity, ...]
    igos: tuple[Entity, ...]
    capitals: dict[str, Entity]
    movements: tuple[Entity, ...]
    persons: tuple[tuple[Entity, int], ...]  # (person, index of the state they act for)
    state_weights: tuple[float, ...]

    @property
    def hub(self) -> Entity:
        """The most active state: the natural subject of the benchmark queries."""
        return self.states[0]


@dataclass
class Dataset:
    """A generated dataset on disk (N-Quads, one named graph per article)."""

    path: Path
    articles: int
    facts: int
    triples: int
    seed: int
    world: World = field(repr=False)


def build_world(seed: int) -> World:
    """States, IGOs and capitals from the gazetteer; fictional persons; Zipf activity."""
    rng = random.Random(f"world-{seed}")
    states: dict[str, Entity] = {}
    igos: dict[str, Entity] = {}
    capitals: dict[str, Entity] = {}
    movements: dict[str, Entity] = {}
    for _alias, entry in sorted(Gazetteer.default().aliases(), key=lambda a: a[0]):
        if entry.role == "name" and entry.wikidata and entry.kind == "country":
            states.setdefault(entry.name, Entity(entry.name, "country", entry.wikidata))
        elif entry.role == "name" and entry.wikidata and entry.kind == "organization":
            igos.setdefault(entry.name, Entity(entry.name, "organization", entry.wikidata))
        elif entry.role == "name" and entry.kind == "movement":
            movements.setdefault(entry.name, Entity(entry.name, "movement", entry.wikidata))
        elif entry.role == "capital" and entry.stands_for:
            capitals.setdefault(entry.stands_for, Entity(entry.name, "city", entry.wikidata))
    if not states:
        raise RuntimeError("the gazetteer holds no states; is the package data installed?")
    state_list = sorted(states.values(), key=lambda e: e.name)
    rng.shuffle(state_list)
    igo_list = sorted(igos.values(), key=lambda e: e.name)
    rng.shuffle(igo_list)
    persons: list[tuple[Entity, int]] = []
    used: set[str] = set()
    for index in range(len(state_list)):
        for _ in range(PERSONS_PER_STATE):
            while True:
                name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
                if rng.random() < 0.3:
                    name = f"{name}-{rng.choice(_LAST)}"
                if name not in used:
                    used.add(name)
                    break
            persons.append((Entity(name, "person"), index))
    weights = tuple(1.0 / (rank + 1) ** 0.9 for rank in range(len(state_list)))
    return World(
        states=tuple(state_list),
        igos=tuple(igo_list[:IGO_COUNT]),
        capitals=capitals,
        movements=tuple(sorted(movements.values(), key=lambda e: e.name)),
        persons=tuple(persons),
        state_weights=weights,
    )


class FactGenerator:
    """Draws articles (metadata + facts) from a world with a seeded random generator."""

    def __init__(self, world: World, seed: int):
        self.world = world
        self.rng = random.Random(f"facts-{seed}")
        self._types = list(_TYPES)
        self._type_weights = [_TYPES[t][0] for t in self._types]
        self._statuses = list(_STATUS_WEIGHTS)
        self._status_weights = list(_STATUS_WEIGHTS.values())
        self._persons_of: dict[int, list[Entity]] = {}
        for person, state in world.persons:
            self._persons_of.setdefault(state, []).append(person)

    def state(self) -> int:
        return self.rng.choices(range(len(self.world.states)), self.world.state_weights)[0]

    def party(self, state: int, kinds: frozenset[str] | None) -> Entity:
        """A state, or (less often) one of its persons or an IGO, as the text names it.

        ``kinds`` are the entity kinds the SHACL shapes allow in this role (None: any).
        """
        roll = self.rng.random()
        choice = "country" if roll < 0.72 else "person" if roll < 0.92 else "organization"
        if kinds is not None and choice not in kinds:
            choice = next(
                (k for k in ("country", "organization", "person", "movement") if k in kinds),
                "organization",
            )
            if choice == "organization" and "movement" in kinds and self.rng.random() < 0.5:
                choice = "movement"
        if choice == "country":
            return self.world.states[state]
        if choice == "person":
            return self.rng.choice(self._persons_of[state])
        if choice == "movement" and self.world.movements:
            return self.rng.choice(self.world.movements)
        return self.rng.choice(self.world.igos)

    def article(self, number: int) -> tuple[Article, list[Fact]]:
        rng = self.rng
        article_id = f"syn-{number:07d}"
        day = FIRST_DATE + timedelta(days=rng.randrange(DAYS))
        article = Article(
            id=article_id,
            url=f"https://news.example.org/{day.isoformat()}/{article_id}",
            outlet=rng.choice(_OUTLETS),
            published=(day + timedelta(days=1)).isoformat(),
            title=f"Diplomatic round-up {day.isoformat()} #{number}",
            licence="synthetic benchmark data (CC0)",
        )
        focus = self.state()  # one story is mostly about one state and its partners
        facts = [
            self._fact(article_id, focus, day) for _ in range(rng.randint(*_FACTS_PER_ARTICLE))
        ]
        return article, facts

    def _fact(self, article_id: str, focus: int, day: date) -> Fact:
        rng = self.rng
        fact_type = rng.choices(self._types, self._type_weights)[0]
        actor_state = focus if rng.random() < 0.6 else self.state()
        target_state = self.state()
        while target_state == actor_state:
            target_state = self.state()
        actor_kinds, target_kinds = role_kinds().get(fact_type, (None, None))
        actor = self.party(actor_state, actor_kinds)
        target = self.party(target_state, target_kinds)
        participants: tuple[Entity, ...] = ()
        if fact_type == "meeting" and rng.random() < 0.25:
            participants = tuple(self.world.states[self.state()] for _ in range(rng.randint(1, 4)))
        place = None
        if fact_type in ("official_visit", "meeting", "agreement_signing") and rng.random() < 0.6:
            place = self.world.capitals.get(self.world.states[target_state].name)
        status = rng.choices(self._statuses, self._status_weights)[0]
        negated = rng.random() < 0.04
        attributed = rng.random() < 0.05
        event_day = day - timedelta(days=rng.randrange(30))
        precision = rng.random()
        when = (
            event_day.isoformat()
            if precision < 0.8
            else event_day.isoformat()[:7]
            if precision < 0.93
            else str(event_day.year)
            if precision < 0.97
            else None
        )
        topic = rng.choice(_TOPICS)
        template = rng.choice(_TYPES[fact_type][1])
        evidence = template.format(a=actor.name, t=target.name, x=topic)
        office = rng.choice(_OFFICES)
        if actor.kind == "person":
            evidence = f"{office} {evidence}"
        return Fact(
            article=article_id,
            type=fact_type,
            actor=actor,
            target=target,
            evidence=evidence,
            participants=participants,
            place=place,
            date=when,
            negated=negated,
            attributed_to=f"officials in {target.name}" if attributed else None,
            status=status,
            confidence=round(rng.uniform(0.5, 1.0), 2),
        )


@cache
def role_kinds() -> dict[str, tuple[frozenset[str] | None, frozenset[str] | None]]:
    """fact type -> (actor kinds, target kinds) the SHACL shapes allow; None: unconstrained.

    Read from the shapes rather than restated here, so that generated data keeps
    conforming when the shapes change.
    """
    from diplograph.shapes.validate import shapes_graph

    graph = shapes_graph()
    kind_of = {cls: kind for kind, cls in KIND_CLASS.items()}
    type_of = {cls: fact_type for fact_type, cls in EVENT_CLASS.items()}
    roles = {DG.actorMention: 0, DG.targetMention: 1}
    out: dict[str, list[frozenset[str] | None]] = {t: [None, None] for t in FACT_TYPES}
    for shape, cls in graph.subject_objects(SH.targetClass):
        if cls not in type_of:
            continue
        for prop in graph.objects(shape, SH.property):
            path, allowed = graph.value(prop, SH.path), graph.value(prop, SH["in"])
            if allowed is None or path is None or isinstance(path, URIRef):
                continue
            steps = list(Collection(graph, path))
            if len(steps) == 2 and steps[0] in roles and steps[1] == DG.mentionKind:
                kinds = frozenset(kind_of[c] for c in Collection(graph, allowed) if c in kind_of)
                out[type_of[cls]][roles[steps[0]]] = kinds
    return {t: (a, b) for t, (a, b) in out.items()}


def article_quads(article: Article, facts: list[Fact]) -> list[ox.Quad]:
    """One article's graph as the pipeline maps it, as quads in its article graph."""
    graph = article_to_graph(article, article.id, facts, SYNTHETIC_RUN)
    name = ox.NamedNode(article_graph(article.id))
    quads = [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), name) for s, p, o in graph]
    return sorted(quads, key=str)  # rdflib's set order varies between processes


def articles(seed: int, world: World | None = None) -> Iterator[tuple[Article, list[Fact]]]:
    """An endless, reproducible stream of synthetic articles."""
    generator = FactGenerator(world or build_world(seed), seed)
    number = 0
    while True:
        number += 1
        yield generator.article(number)


def generate(target_triples: int, path: Path, *, seed: int = 42) -> Dataset:
    """Write articles to ``path`` (N-Quads) until at least ``target_triples`` are asserted."""
    world = build_world(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    count = n_articles = n_facts = 0
    with open(temporary, "wb") as sink:
        for article, facts in articles(seed, world):
            quads = article_quads(article, facts)
            ox.serialize(quads, sink, ox.RdfFormat.N_QUADS)
            count += len(quads)
            n_articles += 1
            n_facts += len(facts)
            if count >= target_triples:
                break
    temporary.replace(path)
    return Dataset(path, n_articles, n_facts, count, seed, world)


def cache_key(target_triples: int, seed: int) -> str:
    """File name part that changes whenever the output would: the generator, the seed, the
    size, and the code and data the output depends on (mapping, vocabularies, gazetteer,
    shapes)."""
    from diplograph.ingest import facts, gazetteer, to_rdf
    from diplograph.ontology import terms
    from diplograph.shapes import validate

    digest = hashlib.sha256(f"{GENERATOR_VERSION}-{seed}-{target_triples}".encode())
    inputs = [
        Path(__file__),
        Path(to_rdf.__file__),
        Path(facts.__file__),
        Path(terms.__file__),
        Path(gazetteer.__file__).parent / "data" / "gazetteer.tsv",
        validate.SHAPES_PATH,
    ]
    for path in inputs:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]
