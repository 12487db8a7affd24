"""Answers of repeated queries, kept in memory for the data version they were computed on.

A published version never changes (store/README.md), so the same query with the same
dataset, format and row cap on the same version has the same answer: dashboards, the
query UI's examples and scripts that poll send the same text again and again, and each
repeat would otherwise cost a worker a full evaluation. Only complete answers that were
buffered (at most STREAM_THRESHOLD bytes) are kept, and only for one version: the first
answer stored for another version (a new one was published) drops the previous ones. The
size is bounded in bytes (least recently used answers go first).

Not cached: queries whose answer changes between evaluations of the same data (RAND, NOW,
UUID, STRUUID, BNODE; see query_check.QueryInfo.repeatable) and errors. An answer cut at
the row cap is cached like any other: the cap is part of the key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

#: The RFC 9211 ``Cache-Status`` of each answer (header value -> the access log's word).
HIT = "diplograph; hit"
STORED = "diplograph; fwd=uri-miss; stored"
#: not kept: streamed (over STREAM_THRESHOLD) or over a quarter of the cache
MISS = "diplograph; fwd=uri-miss"
#: never looked up: RAND, NOW, UUID, STRUUID or BNODE make every answer different
BYPASS = "diplograph; fwd=bypass; detail=volatile"
OUTCOMES = {HIT: "hit", STORED: "stored", MISS: "miss", BYPASS: "bypass"}


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    """One answer: its head (a worker's result head, or a page's content type) and body."""

    head: dict[str, Any]
    body: bytes


class ResultCache:
    """A byte-bounded LRU of query answers for one data version at a time (thread-safe)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._version: str | None = None
        self._answers: OrderedDict[Hashable, CachedAnswer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        """Bytes of answer bodies held."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, version: str, key: Hashable) -> CachedAnswer | None:
        with self._lock:
            if version != self._version:
                return None
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, version: str, key: Hashable, answer: CachedAnswer) -> bool:
        """Keep ``answer``; False if it is larger than a quarter of the cache (one answer
        must not flush everything else)."""
        cost = len(answer.body)
        if cost > self.max_bytes // 4:
            return False
        with self._lock:
            if version != self._version:
                self._answers.clear()
                self._bytes = 0
                self._version = version
            old = self._answers.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._answers[key] = answer
            self._bytes += cost
            while self._bytes > self.max_bytes:
                _key, dropped = self._answers.popitem(last=False)
                self._bytes -= len(dropped.body)
            return True

    def offer(self, version: str, key: Hashable, answer: CachedAnswer | None) -> str:
        """Keep ``answer`` if it can be kept (None: it was streamed, so there is no body to
        keep); the Cache-Status that says which."""
        return STORED if answer is not None and self.put(version, key, answer) else MISS
