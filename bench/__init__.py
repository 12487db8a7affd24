"""Diplograph's benchmark suite (issue 6): `python -m bench` or `diplograph bench`.

Synthetic diplomacy graphs of 10k, 100k and 1M triples, mapped through our own mapping;
query latency and throughput through `diplograph serve`, an Oxigraph server and pyoxigraph
in process; ingest, reasoning, SHACL, dump and memory figures. See docs/benchmarks.md.
"""
