"""Run the two hypothesis suites at benchmark size and print what they covered.

CI runs ``tests/test_fuzz_extractor.py`` and ``tests/test_fuzz_http.py`` with 200
replayed examples per property; this script runs them with fresh random examples,
10,000 per property by default, and prints the counts: texts extracted, facts checked
(exact evidence, interchange round trip), article graphs validated with SHACL, HTTP
requests sent and their status-code histogram.

    .venv/bin/python bench/fuzz.py [--examples 10000] [--only extractor|http]

Exit code: pytest's (0 when every property held).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SUITES = {
    "extractor": "tests/test_fuzz_extractor.py",
    "http": "tests/test_fuzz_http.py",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10_000, help="examples per property")
    parser.add_argument("--only", choices=sorted(SUITES), help="run one suite only")
    args = parser.parse_args(argv)

    # The suites read their hypothesis profile when imported: set it first.
    os.environ["DIPLOGRAPH_FUZZ_PROFILE"] = "bench"
    os.environ["DIPLOGRAPH_FUZZ_EXAMPLES"] = str(args.examples)
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)
    import pytest

    files = [SUITES[args.only]] if args.only else list(SUITES.values())
    started = time.monotonic()
    code = pytest.main(
        ["-q", "-p", "no:cacheprovider", "--timeout", "0", "--hypothesis-show-statistics", *files]
    )
    elapsed = time.monotonic() - started
    print(f"\nfuzz run: {args.examples} examples per property, {elapsed:.0f} s, pytest exit {code}")
    if "tests.test_fuzz_extractor" in sys.modules:
        counts = sys.modules["tests.test_fuzz_extractor"].COUNTS
        print(
            f"extractor: {counts['examples']} texts extracted without an exception,"
            f" {counts['facts']} facts with exact evidence offsets and a lossless"
            f" interchange round trip, {counts['shacl_graphs']} article graphs SHACL-valid"
        )
    if "tests.test_fuzz_http" in sys.modules:
        statuses = sys.modules["tests.test_fuzz_http"].STATUSES
        histogram = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
        server_errors = sum(n for status, n in statuses.items() if status >= 500 and status != 503)
        print(
            f"http: {sum(statuses.values())} requests, status histogram {{{histogram}}},"
            f" {server_errors} server errors (5xx other than 503 timeouts)"
        )
        for request in sys.modules["tests.test_fuzz_http"].TIMEOUTS[:5]:
            print(f"  503 (deadline): {request}")
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
