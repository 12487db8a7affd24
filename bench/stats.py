"""Small statistics helpers shared by every benchmark part."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` in 0..1); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def geometric_mean(values: Sequence[float]) -> float:
    """Geometric mean of positive values; NaN when any is missing or not positive."""
    if not values or any(not v > 0 or math.isnan(v) for v in values):
        return math.nan
    return math.exp(sum(math.log(v) for v in values) / len(values))


def growth(sizes: Sequence[float], costs: Sequence[float]) -> float:
    """Exponent k of cost ~ size^k between the smallest and largest size (1 = linear)."""
    pairs = [(s, c) for s, c in zip(sizes, costs, strict=True) if s > 0 and c and c > 0]
    if len(pairs) < 2:
        return math.nan
    (s0, c0), (s1, c1) = pairs[0], pairs[-1]
    if s1 == s0:
        return math.nan
    return math.log(c1 / c0) / math.log(s1 / s0)


def tail_growth(sizes: Sequence[float], costs: Sequence[float]) -> float:
    """Exponent k between the two largest sizes that have a cost: the asymptotic trend.

    At the smallest size fixed costs dominate (pulling k down) or a query finds nothing
    yet (a filtered query with no match at 10k runs in 0.15 ms, pushing k up), so the whole-range
    exponent can mislead both ways.
    """
    pairs = [(s, c) for s, c in zip(sizes, costs, strict=True) if s > 0 and c and c > 0]
    return growth(*zip(*pairs[-2:], strict=True)) if len(pairs) >= 2 else math.nan


#: Slack for timing noise when comparing a cost's exponent with the engine's own.
ENGINE_SLACK = 0.05


def describe_growth(exponent: float, engine: float = math.nan) -> str:
    """Words for a growth exponent, with slack for timing noise.

    ``engine`` is the exponent of the engine's own scan-join over all events, measured in
    the same run: RocksDB lookups get slower as the store outgrows the CPU caches, so even
    that grows a little faster than linearly (k ~1.15-1.2 from 100k to 1M triples). A cost
    that grows no faster is "as the engine": nothing of ours adds to the growth.
    """
    if math.isnan(exponent):
        return "n/a"
    if exponent < 0.9:
        return "sub-linear"
    if exponent <= 1.15:
        return "linear"
    if not math.isnan(engine) and exponent <= engine + ENGINE_SLACK:
        return "as the engine"
    return "super-linear"
