"""Packaging: one `diplograph` namespace, every package listed, data shipped, wheel == editable."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
MAPPING: dict[str, str] = PYPROJECT["tool"]["setuptools"]["package-dir"]


def test_every_package_folder_is_listed_in_pyproject() -> None:
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = set()
    for package, folder in MAPPING.items():
        for init in (REPO / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(REPO / folder).parts
            if "node_modules" in relative or "vendor" in relative:
                continue
            found.add(".".join([package, *relative]))
    assert found == listed, f"missing: {sorted(found - listed)}; stale: {sorted(listed - found)}"


def test_all_packages_live_under_the_diplograph_namespace() -> None:
    assert all(name.startswith("diplograph.") for name in MAPPING)
    assert all(
        name.startswith("diplograph.") for name in PYPROJECT["tool"]["setuptools"]["packages"]
    )


def test_no_generic_top_level_module_is_importable() -> None:
    names = ("server", "ingest", "shapes", "ontology", "store", "cli")
    probe = f"import importlib.util; print([m for m in {names!r} if importlib.util.find_spec(m)])"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd="/", check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("diplograph-*.whl")
    return path


@pytest.mark.slow
def test_wheel_holds_only_the_namespace_and_its_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"diplograph"}
    assert "diplograph/__init__.py" not in names, "diplograph is a namespace package"
    for required in (
        "diplograph/ontology/diplograph.ttl",
        "diplograph/ingest/samples/dev-01.txt",
        "diplograph/ingest/samples/dev-01.meta.json",
        "diplograph/cli/main.py",
        "diplograph/store/versioned.py",
    ):
        assert required in names
    assert any(n.startswith("diplograph/shapes/") and n.endswith(".ttl") for n in names)
    assert any(n.startswith("diplograph/server/static/") for n in names)
    assert any(n.startswith("diplograph/ingest/gazetteer/data/") for n in names)
    assert not any("/tests/" in n or n.startswith("tests/") for n in names)


@pytest.mark.slow
def test_wheel_install_imports_like_the_editable_one(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    probe = (
        "import diplograph.cli.main, diplograph.ingest.pipeline, diplograph.server, "
        "diplograph.ontology, diplograph.shapes, diplograph.store; "
        "from diplograph.ontology import ONTOLOGY_PATH; print(ONTOLOGY_PATH.is_file())"
    )
    result = subprocess.run(
        [str(python), "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
    helped = subprocess.run(
        [str(env_dir / "bin" / "diplograph"), "--help"], capture_output=True, text=True, check=False
    )
    assert helped.returncode == 0 and "serve" in helped.stdout
