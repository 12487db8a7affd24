"""`python -m bench`: the whole benchmark suite (same options as `diplograph bench`)."""

from diplograph.cli.bench import bench

if __name__ == "__main__":
    bench(prog_name="python -m bench")
