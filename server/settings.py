"""Every server setting in one table: name, default and the reason it exists.

The table is the single source of truth: ``create_app`` fills missing keys from it,
``diplograph serve --help`` quotes its defaults and a test checks that each name is
documented in ``docs/server.md``, so a setting can't exist without being explained.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from diplograph.ontology.namespaces import BASE


@dataclass(frozen=True, slots=True)
class Setting:
    """One configuration key of the Flask app."""

    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("STORE_PATH", None, "Directory of the versioned store to serve (see store/README.md)."),
    Setting(
        "STORE",
        None,
        "An already opened VersionedStore (for embedding and tests); wins over STORE_PATH.",
    ),
    Setting(
        "BASE_IRI",
        BASE,
        "Base of the data IRIs; /id/..., /ontology and /graph/... dereference BASE_IRI + path.",
    ),
    Setting(
        "QUERY_TIMEOUT",
        30.0,
        "Seconds a SPARQL query may run before its worker process is killed (answer: 503).",
    ),
    Setting(
        "QUERY_WORKERS",
        4,
        "Worker processes that evaluate SPARQL queries; also the number of queries run at once "
        "(`diplograph serve` defaults to two per CPU core, at least 4).",
    ),
    Setting(
        "QUERY_MEMORY_LIMIT",
        2 * 1024**3,
        "Bytes of heap each query worker may use (RLIMIT_DATA); a query needing more fails "
        "with 503 and its worker is replaced. 0 = no limit.",
    ),
    Setting(
        "SLOW_QUERY_SECONDS",
        0.5,
        "After this many seconds a query's worker gets a lower CPU priority (niceness 10), so "
        "quick queries stay quick while slow ones run (with more workers than cores). 0 = off.",
    ),
    Setting(
        "PREEMPT_WAIT",
        0.25,
        "A query that has waited this many seconds for a worker, while the waiting line is at "
        "least half full (overload), stops the longest-running query older than "
        "SLOW_QUERY_SECONDS (that client gets 503 and Retry-After), so under overload quick "
        "queries are not starved by slow ones. 0 = never preempt.",
    ),
    Setting(
        "QUEUE_WAIT",
        5.0,
        "Seconds a query waits for a free worker before the server answers 429 Too Many Requests.",
    ),
    Setting(
        "MAX_WAITING_QUERIES",
        None,
        "Most queries that may wait for a free worker (None: eight per QUERY_WORKERS, so tens of "
        "concurrent clients queue instead of bouncing); more are refused at once with 429, so "
        "waiting requests never take every HTTP thread.",
    ),
    Setting(
        "MAX_RESULT_ROWS",
        100_000,
        "Most solutions (SELECT) or triples (CONSTRUCT/DESCRIBE) returned; more are cut and the "
        "cut is signalled by the Diplograph-Result-Truncated header and in the body.",
    ),
    Setting(
        "MAX_QUERY_LENGTH",
        100_000,
        "Longest query string in characters (longer: 414 for GET, 413 for POST).",
    ),
    Setting(
        "MAX_URL_LENGTH",
        16_384,
        "Longest request URL (path + query string) in bytes; longer gets 414 URI Too Long.",
    ),
    Setting(
        "MAX_CONTENT_LENGTH",
        1_048_576,
        "Largest request body in bytes; larger gets 413 Content Too Large.",
    ),
    Setting(
        "STREAM_THRESHOLD",
        1_048_576,
        "Results up to this many bytes are buffered (exact Content-Length, clean errors); larger "
        "ones are streamed chunk by chunk.",
    ),
    Setting(
        "RESULT_CACHE_SIZE",
        64 * 1024**2,
        "Bytes of query answers and pages kept in memory for the current data version, so a "
        "repeated query is answered without a worker (only buffered answers, none of a query using "
        "RAND/NOW/UUID/STRUUID/BNODE; off for --backend, whose data others may change). 0 = off.",
    ),
    Setting(
        "GZIP_MIN_SIZE",
        1024,
        "Smallest response body (bytes) worth gzip-compressing when the client accepts gzip.",
    ),
    Setting(
        "DATASET_TITLE", "Diplograph", "Title of the dataset in the VoID description and pages."
    ),
    Setting(
        "DATASET_LICENSE",
        "https://creativecommons.org/licenses/by/4.0/",
        "Licence IRI of the published data (VoID dcterms:license).",
    ),
    Setting(
        "TRUST_PROXY",
        False,
        "Trust one reverse proxy's X-Forwarded-For/-Proto/-Host/-Prefix headers (deployments "
        "behind nginx or w3id.org redirects); keep False when the server faces clients directly.",
    ),
    Setting(
        "ACCESS_LOG",
        True,
        "Write one JSON line per request to the 'diplograph.access' logger (stderr by default).",
    ),
)

SETTINGS_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def resolve(config: Mapping[str, Any] | None) -> dict[str, Any]:
    """Defaults overlaid with ``config``; unknown upper-case keys are errors (typos)."""
    values = {s.name: s.default for s in SETTINGS}
    for key, value in (config or {}).items():
        if key.isupper() and key not in SETTINGS_BY_NAME and key not in _FLASK_KEYS:
            raise KeyError(f"unknown server setting {key!r}; see docs/server.md")
        values[key] = value
    return values


#: Flask's own keys that callers (tests) may pass through.
_FLASK_KEYS = frozenset({"TESTING", "DEBUG", "SERVER_NAME", "PROPAGATE_EXCEPTIONS"})
