"""Extraction throughput in articles per second on one core.

Reads the development texts (``../shared/devset/texts`` by default, or ``--texts DIR``),
repeats them until at least ``--articles`` (default 1,000) articles are processed, and
reports articles/s and characters/s. Process-level setup (gazetteer matcher) is timed
separately: it happens once per process, not per article.

    .venv/bin/python bench/extract_speed.py [--texts DIR] [--articles N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

DEFAULT_TEXTS = Path(__file__).resolve().parents[1].parent / "shared" / "devset" / "texts"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    paths = sorted(args.texts.glob("*.txt"))
    if not paths:
        print(f"no *.txt files in {args.texts}", file=sys.stderr)
        return 2
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]

    started = time.perf_counter()
    from diplograph.ingest.extract import extract
    from diplograph.ingest.extract.lexicon import default_lexicon

    default_lexicon()
    setup = time.perf_counter() - started

    rounds = -(-args.articles // len(texts))
    count = chars = facts = 0
    started = time.perf_counter()
    for round_number in range(rounds):
        for i, text in enumerate(texts):
            facts += len(extract(text, article_id=f"a{round_number}-{i}"))
            count += 1
            chars += len(text)
    elapsed = time.perf_counter() - started
    result = {
        "articles": count,
        "distinct_texts": len(texts),
        "seconds": round(elapsed, 3),
        "articles_per_second": round(count / elapsed, 1),
        "characters_per_second": round(chars / elapsed),
        "facts": facts,
        "setup_seconds": round(setup, 3),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{count} articles ({len(texts)} distinct) in {elapsed:.2f} s on one core: "
            f"{result['articles_per_second']} articles/s, "
            f"{result['characters_per_second']} chars/s; {facts} facts; "
            f"setup {setup:.2f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
