"""Refresh the gazetteer from the Wikidata Query Service (when a network exists).

``refresh()`` runs four queries (ISO-coded states with demonyms, current capitals, current
heads of state and government, and labels/aliases/redirects of every QID the gazetteer
holds, in batches), stores the answers as ``data/sources/wikidata.json`` and rebuilds
``gazetteer.tsv`` from all inputs, so the refreshed file is still reproducible by
``build``. It is polite to WDQS: a descriptive User-Agent, POST requests, and a bounded
number of retries that honour ``Retry-After`` on 429/503. Nothing here runs at import time
or in normal pipeline runs.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from diplograph.ingest.gazetteer import build
from diplograph.ingest.gazetteer.model import Gazetteer
from diplograph.ingest.gazetteer.wikidata import SNAPSHOT_NAME, Snapshot, qid_of

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
RETRY_STATUSES = (429, 502, 503, 504)
MAX_ATTEMPTS = 5
MAX_WAIT_SECONDS = 300.0
BATCH_SIZE = 200
#: More items than this share coming back empty means a broken answer, not deletions.
MAX_MISSING_SHARE = 0.02

PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
#: Items carrying an ISO 3166-1 alpha-2 code (P297) that are not dissolved (P576).
STATES_QUERY = (
    PREFIXES
    + """SELECT ?item ?iso2 ?label ?demonym WHERE {
  ?item wdt:P297 ?iso2 .
  FILTER NOT EXISTS { ?item wdt:P576 [] }
  OPTIONAL { ?item rdfs:label ?label FILTER(LANG(?label) = "en") }
  OPTIONAL { ?item wdt:P1549 ?demonym FILTER(LANG(?demonym) = "en") }
}"""
)
#: Current (no end date, not deprecated) capitals of ISO-coded states.
CAPITALS_QUERY = (
    PREFIXES
    + """SELECT ?state ?iso2 ?capital ?label WHERE {
  ?state wdt:P297 ?iso2 ; p:P36 ?st .
  ?st ps:P36 ?capital ; wikibase:rank ?rank .
  FILTER(?rank != wikibase:DeprecatedRank)
  FILTER NOT EXISTS { ?st pq:P582 [] }
  OPTIONAL { ?capital rdfs:label ?label FILTER(LANG(?label) = "en") }
}"""
)
#: Current heads of state (P35) and government (P6) of ISO-coded states.
LEADERS_QUERY = (
    PREFIXES
    + """SELECT ?state ?iso2 ?person ?label WHERE {
  ?state wdt:P297 ?iso2 .
  { ?state p:P35 ?st . ?st ps:P35 ?person . } UNION { ?state p:P6 ?st . ?st ps:P6 ?person . }
  ?st wikibase:rank ?rank .
  FILTER(?rank != wikibase:DeprecatedRank)
  FILTER NOT EXISTS { ?st pq:P582 [] }
  OPTIONAL { ?person rdfs:label ?label FILTER(LANG(?label) = "en") }
}"""
)
ITEMS_QUERY = (
    PREFIXES
    + """SELECT ?item ?label ?alias ?redirect WHERE {
  VALUES ?item { %s }
  OPTIONAL { ?item owl:sameAs ?redirect }
  OPTIONAL { ?item rdfs:label ?label FILTER(LANG(?label) = "en") }
  OPTIONAL { ?item skos:altLabel ?alias FILTER(LANG(?alias) = "en") }
}"""
)


class RefreshError(RuntimeError):
    """WDQS could not be queried (after retries) or answered something unusable."""


def user_agent() -> str:
    try:
        ours = version("diplograph")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        ours = "0"
    return f"Diplograph/{ours} (gazetteer refresh; https://w3id.org/diplograph/)"


def retry_after_seconds(value: str | None, attempt: int) -> float:
    """Seconds to wait: the Retry-After header (seconds or HTTP date), else backoff."""
    if value:
        value = value.strip()
        if value.isdigit():
            return min(float(value), MAX_WAIT_SECONDS)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            now = _dt.datetime.now(_dt.UTC)
            return min(max((when - now).total_seconds(), 0.0), MAX_WAIT_SECONDS)
    return min(2.0**attempt, MAX_WAIT_SECONDS)


@dataclass
class Client:
    """A minimal SPARQL-over-HTTP client for WDQS."""

    endpoint: str = DEFAULT_ENDPOINT
    max_attempts: int = MAX_ATTEMPTS
    timeout: float = 120.0
    sleep: Callable[[float], None] = time.sleep
    log: Callable[[str], None] = lambda message: None
    requests_made: int = 0

    def select(self, query: str) -> list[dict[str, str]]:
        """Run a SELECT query; each binding becomes {variable: value}."""
        body = urllib.parse.urlencode({"query": query}).encode("utf-8")
        for attempt in range(1, self.max_attempts + 1):
            request = urllib.request.Request(
                self.endpoint,
                data=body,
                method="POST",
                headers={
                    "Accept": "application/sparql-results+json",
                    "Content-Type": "application/x-www-form-urlencoded",
                    "User-Agent": user_agent(),
                },
            )
            self.requests_made += 1
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    payload = json.loads(response.read().decode("utf-8"))
                return [
                    {name: cell["value"] for name, cell in binding.items()}
                    for binding in payload["results"]["bindings"]
                ]
            except urllib.error.HTTPError as error:
                if error.code not in RETRY_STATUSES or attempt == self.max_attempts:
                    raise RefreshError(f"{self.endpoint} answered HTTP {error.code}") from error
                wait = retry_after_seconds(error.headers.get("Retry-After"), attempt)
                self.log(
                    f"HTTP {error.code}; retrying in {wait:g} s ({attempt}/{self.max_attempts})"
                )
                self.sleep(wait)
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                if attempt == self.max_attempts:
                    raise RefreshError(f"cannot reach {self.endpoint}: {error}") from error
                wait = retry_after_seconds(None, attempt)
                self.log(f"{error}; retrying in {wait:g} s ({attempt}/{self.max_attempts})")
                self.sleep(wait)
            except (ValueError, KeyError) as error:
                raise RefreshError(f"{self.endpoint} sent no SPARQL JSON results") from error
        raise RefreshError("unreachable")  # pragma: no cover


def _unanswered(snapshot: Snapshot, qids: list[str]) -> list[str]:
    """QIDs that came back without label, alias or redirect: deleted items, or a bad answer.
    (Items missing from the answer altogether are left as they are by the overlay.)"""
    returned = {qid_of(row["item"]) for row in snapshot.items}
    useful = {
        qid_of(row["item"])
        for row in snapshot.items
        if row.get("label") or row.get("alias") or row.get("redirect")
    }
    return [qid for qid in qids if qid in returned and qid not in useful]


def fetch_snapshot(client: Client, qids: list[str]) -> Snapshot:
    """Ask WDQS everything the overlay needs."""
    snapshot = Snapshot(endpoint=client.endpoint, retrieved=_dt.date.today().isoformat())
    snapshot.states = client.select(STATES_QUERY)
    snapshot.capitals = client.select(CAPITALS_QUERY)
    snapshot.leaders = client.select(LEADERS_QUERY)
    for start in range(0, len(qids), BATCH_SIZE):
        values = " ".join(f"wd:{qid}" for qid in qids[start : start + BATCH_SIZE])
        snapshot.items.extend(client.select(ITEMS_QUERY % values))
    return snapshot


@dataclass
class Diff:
    """What changed between two gazetteer files.

    Entities are compared by canonical name and kind: a QID can be added (a capital gets
    linked), removed (the item was deleted) or changed (redirect, new P297 holder); an
    entity can appear or disappear; a QID can move to another canonical name (label change).
    """

    qid_added: list[str] = field(default_factory=list)
    qid_removed: list[str] = field(default_factory=list)
    qid_changed: list[str] = field(default_factory=list)
    entities_added: list[str] = field(default_factory=list)
    entities_removed: list[str] = field(default_factory=list)
    labels_changed: list[str] = field(default_factory=list)
    aliases_added: int = 0
    aliases_removed: int = 0

    @property
    def empty(self) -> bool:
        return not (self.details() or self.aliases_added or self.aliases_removed)

    def details(self) -> list[str]:
        return [
            *(f"  QID added    {item}" for item in self.qid_added),
            *(f"  QID removed  {item}" for item in self.qid_removed),
            *(f"  QID changed  {item}" for item in self.qid_changed),
            *(f"  new entity   {item}" for item in self.entities_added),
            *(f"  gone entity  {item}" for item in self.entities_removed),
            *(f"  label        {item}" for item in self.labels_changed),
        ]

    def lines(self) -> list[str]:
        summary = (
            f"QIDs: +{len(self.qid_added)} -{len(self.qid_removed)} ~{len(self.qid_changed)}; "
            f"entities: +{len(self.entities_added)} -{len(self.entities_removed)}; "
            f"labels changed: {len(self.labels_changed)}; "
            f"alias rows: +{self.aliases_added} -{self.aliases_removed}"
        )
        return [summary, *self.details()]


def _index(gaz: Gazetteer) -> tuple[dict[tuple[str, str], str], set[tuple[str, ...]]]:
    entities: dict[tuple[str, str], str] = {}
    rows: set[tuple[str, ...]] = set()
    for alias, entry in gaz.aliases():
        entities[(entry.name, entry.kind)] = entry.wikidata or ""
        rows.add((alias, entry.name, entry.kind, entry.wikidata or "", entry.role))
    return entities, rows


def diff(old: Gazetteer, new: Gazetteer) -> Diff:
    """Compare two gazetteers entity by entity and row by row."""
    old_entities, old_rows = _index(old)
    new_entities, new_rows = _index(new)
    result = Diff()
    for key in sorted(old_entities.keys() & new_entities.keys()):
        before, after = old_entities[key], new_entities[key]
        label = f"{key[0]} ({key[1]})"
        if before == after:
            continue
        if not before:
            result.qid_added.append(f"{label}: {after}")
        elif not after:
            result.qid_removed.append(f"{label}: {before}")
        else:
            result.qid_changed.append(f"{label}: {before} -> {after}")
    for key in sorted(new_entities.keys() - old_entities.keys()):
        result.entities_added.append(f"{key[0]} ({key[1]}) {new_entities[key] or '-'}")
    for key in sorted(old_entities.keys() - new_entities.keys()):
        result.entities_removed.append(f"{key[0]} ({key[1]}) {old_entities[key] or '-'}")
    old_names = {qid: key[0] for key, qid in old_entities.items() if qid}
    new_names = {qid: key[0] for key, qid in new_entities.items() if qid}
    for qid in sorted(old_names.keys() & new_names.keys()):
        if old_names[qid] != new_names[qid]:
            result.labels_changed.append(f"{qid}: {old_names[qid]!r} -> {new_names[qid]!r}")
    result.aliases_added = len(new_rows - old_rows)
    result.aliases_removed = len(old_rows - new_rows)
    return result


@dataclass
class RefreshReport:
    diff: Diff
    notes: list[str]
    requests: int
    written: bool


def refresh(
    endpoint: str = DEFAULT_ENDPOINT,
    out: Path = build.OUTPUT,
    snapshot_path: Path | None = None,
    dry_run: bool = False,
    data_dir: Path = build.DATA_DIR,
    client: Client | None = None,
) -> RefreshReport:
    """Fetch a Wikidata snapshot, rebuild the gazetteer with it and report the changes.

    With ``dry_run`` nothing is written. Otherwise the snapshot and the gazetteer are each
    written atomically (temporary file + rename), so a failure leaves the old files intact.
    """
    client = client or Client(endpoint=endpoint)
    if snapshot_path is None:
        # The snapshot is an input of the build: beside the package data for the shipped
        # file, beside --out otherwise (never overwrite package inputs for a side output).
        shipped = out.resolve() == (data_dir / build.OUTPUT.name).resolve()
        snapshot_path = (data_dir / "sources" if shipped else out.parent) / SNAPSHOT_NAME
    # Ask about the QIDs of the tables, not of an earlier overlay: the new snapshot replaces
    # the old one and is applied to the tables again.
    registry = build.build_registry(data_dir, Snapshot())
    qids = sorted({entity.wikidata for entity in registry.entities if entity.wikidata})
    snapshot = fetch_snapshot(client, qids)
    if not snapshot.states:
        raise RefreshError("WDQS returned no ISO-coded states; refusing to rebuild")
    unanswered = _unanswered(snapshot, qids)
    if len(unanswered) > max(5, len(qids) * MAX_MISSING_SHARE):
        raise RefreshError(
            f"{len(unanswered)} of {len(qids)} items came back without label, alias or "
            f"redirect (e.g. {', '.join(unanswered[:5])}); this looks like a broken answer, "
            "not deletions: refusing to rebuild"
        )
    new_registry = build.build_registry(data_dir, snapshot)
    text = build.render(build.rows(new_registry))
    old = Gazetteer.from_tsv(out) if out.exists() else Gazetteer([])
    new = Gazetteer._from_lines(text.splitlines(keepends=True))
    report = RefreshReport(diff(old, new), new_registry.notes, client.requests_made, False)
    if not dry_run:
        build.write_atomically(snapshot_path, snapshot.to_json())
        build.write_atomically(out, text)
        report.written = True
    return report
