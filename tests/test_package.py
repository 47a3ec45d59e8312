"""The package outside its checkout: build the wheel (carrying a release, as ``make dist``
does), install it into a fresh virtual environment in an empty directory, and run every
command from there — with good input and with broken input."""

from __future__ import annotations

import os
import selectors
import shutil
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

import bclm_kg

ROOT = Path(__file__).resolve().parents[1]
BUNDLED_RELEASE = Path("bclm_kg", "_bundle", "release")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX virtual environment")


def tracked_files() -> list[Path]:
    """The checkout's files as git knows them (working-tree content), or every file."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=False)
    if listed.returncode == 0 and listed.stdout:
        return [Path(p) for p in listed.stdout.decode().split("\0") if p]
    ignore = {".git", ".venv", "build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache"}
    return [p.relative_to(ROOT) for p in ROOT.rglob("*")
            if not ignore & set(p.relative_to(ROOT).parts) and (p.is_file() or p.is_symlink())]


def copy_tree(target: Path) -> Path:
    """A copy of the source tree; symbolic links stay links (the wheel follows them)."""
    for rel in tracked_files():
        source, dest = ROOT / rel, target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            dest.symlink_to(os.readlink(source))
        elif source.is_file():
            shutil.copy2(source, dest)
    return target


@pytest.fixture(scope="module")
def wheel(release_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = copy_tree(tmp_path_factory.mktemp("source"))
    shutil.copytree(release_dir, source / BUNDLED_RELEASE)
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                    str(dist), str(source)], check=True, capture_output=True)
    (found,) = dist.glob("bclm_kg-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed; returns its bin directory."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    result = subprocess.run([str(bin_dir / "pip"), "install", "--quiet", str(wheel)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.skip(f"cannot install the wheel's dependencies here: {result.stderr[-500:]}")
    return bin_dir


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """An empty directory outside the checkout."""
    here = tmp_path / "empty"
    here.mkdir()
    return here


def clean_env() -> dict[str, str]:
    """The environment without settings that could point back into the checkout."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith("BCLM_") and k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / "bclm-kg"), *args], cwd=cwd, env=clean_env(),
                          capture_output=True, text=True, check=False, timeout=300)


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


def test_wheel_carries_data_ontology_shapes_and_release(wheel: Path) -> None:
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("bclm_kg/_bundle/ontology/bclm.ttl", "bclm_kg/_bundle/shapes/bclm.shacl.ttl",
                 "bclm_kg/_bundle/data/tables/table1.tsv", "bclm_kg/_bundle/data/review.yaml",
                 "bclm_kg/_bundle/release/bclm.trig", "bclm_kg/_bundle/release/release.json",
                 "bclm_kg/queries/export_arms.rq", "bclm_kg/web/templates/entity.html"):
        assert name in names


def test_version_is_the_package_version(installed: Path, workdir: Path) -> None:
    result = run(installed, workdir, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"bclm-kg, version {bclm_kg.__version__}"


def test_validate(installed: Path, workdir: Path, release_dir: Path) -> None:
    good = run(installed, workdir, "validate", str(release_dir / "bclm.ttl"))
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.startswith("Conforms: yes")
    broken = workdir / "broken.ttl"
    broken.write_text("@prefix bclm: <https://w3id.org/bclm-kg/ontology/> .\n"
                      "<https://w3id.org/bclm-kg/study/x> a bclm:Study ;\n  bclm:year .\n",
                      encoding="utf-8")
    bad = run(installed, workdir, "validate", str(broken))
    assert bad.returncode == 1
    assert "broken.ttl" in bad.stdout and "Traceback" not in bad.stdout + bad.stderr


def test_build_from_a_copy_of_the_data(installed: Path, workdir: Path, data_dir: Path) -> None:
    data = shutil.copytree(data_dir, workdir / "my-data")
    result = run(installed, workdir, "build", "--data", str(data), "--out", "out")
    assert result.returncode == 0, result.stderr
    import json

    manifest = json.loads((workdir / "out" / "release.json").read_text(encoding="utf-8"))
    assert manifest["version"] == bclm_kg.__version__
    assert (manifest["counts"]["trials"], manifest["counts"]["references"]) == (8, 89)
    table1 = data / "tables" / "table1.tsv"
    table1.write_text(table1.read_text(encoding="utf-8").replace(
        "139\tHR\t56\t58\t47", "139\tHR\t56\t58\t120"), encoding="utf-8")
    failed = run(installed, workdir, "build", "--data", str(data), "--out", "out")
    assert_one_line_error(failed, "table1.tsv:", "OS rate 120%")
    after = json.loads((workdir / "out" / "release.json").read_text(encoding="utf-8"))
    assert after == manifest  # the previous release is untouched
    missing = run(installed, workdir, "build", "--data", "no-such-dir", "--out", "out2")
    assert_one_line_error(missing, "no-such-dir")


def test_export_the_shipped_release(installed: Path, workdir: Path) -> None:
    table = run(installed, workdir, "export", "--format", "csv")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].startswith("study,study_iri,first_author,ref_no")
    assert any(line.startswith("Ruiz 2017,") and ",139," in line for line in lines)
    turtle = run(installed, workdir, "export", "--format", "ttl", "--out", "all.ttl")
    assert turtle.returncode == 0 and "study/ruiz-2017" in (workdir / "all.ttl").read_text()
    assert not (workdir / "build").exists()  # nothing was built: the wheel carries a release
    unknown = run(installed, workdir, "export", "--format", "docx")
    assert unknown.returncode == 2 and "'docx' is not one of" in unknown.stderr
    absent = run(installed, workdir, "export", "--format", "ttl", "--release", "/dev/null/x")
    assert_one_line_error(absent, "error:")


@pytest.fixture
def served(installed: Path, workdir: Path) -> Iterator[str]:
    """``bclm-kg serve`` from the empty directory on a free loopback port."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([str(installed / "bclm-kg"), "serve", "--port", str(port)],
                               cwd=workdir, env=clean_env(), stderr=subprocess.PIPE, text=True)
    try:
        wait_for_line(process, "Listening at", timeout=90)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_for_line(process: subprocess.Popen, needle: str, timeout: float) -> None:
    """Read the process's standard error until a line holds ``needle``."""
    assert process.stderr is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stderr, selectors.EVENT_READ)
    seen: list[str] = []
    while selector.select(timeout):
        line = process.stderr.readline()
        if not line:
            break
        seen.append(line)
        if needle in line:
            return
    pytest.fail(f"the server did not start: {''.join(seen)[-2000:]}")


def test_serve_answers_sparql_from_the_shipped_release(served: str, workdir: Path) -> None:
    client = SPARQLWrapper(served + "/sparql")
    client.setReturnFormat(JSON)
    client.setQuery("PREFIX bclm: <https://w3id.org/bclm-kg/ontology/> "
                    "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a bclm:RegisteredTrial }")
    result = client.queryAndConvert()
    assert result["results"]["bindings"][0]["n"]["value"] == "8"
    assert not (workdir / "build").exists()


def test_serve_with_nothing_to_serve_is_one_line(installed: Path, workdir: Path) -> None:
    result = run(installed, workdir, "serve", "--release", "none", "--data", "no-data-here")
    assert_one_line_error(result, "no-data-here")
