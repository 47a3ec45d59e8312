"""OWL 2 DL profile check with the OWL API (Debian's libowlapi-java) on the released ontology
and on the whole release; the small Java program in tests/java/ runs as a single-file source."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bclm_kg.artefacts import BASE_RDFXML, FULL_RDFXML
from bclm_kg.release import ONTOLOGY_FILE

JAVA_DIR = Path(__file__).resolve().parent / "java"
NOT_DL = Path(__file__).resolve().parent / "fixtures" / "quality" / "not-dl.ttl"
OWLAPI_JAR = Path("/usr/share/java/owlapi-distribution.jar")
# The OWL API finds its parsers (rdf4j, jsonld-java, ...) on the class path; Debian installs them
# beside it. BCLM_OWLAPI_CLASSPATH overrides (e.g. a directory of jars from elsewhere).
CLASSPATH = os.environ.get("BCLM_OWLAPI_CLASSPATH", f"{OWLAPI_JAR}:{OWLAPI_JAR.parent}/*")

pytestmark = [
    pytest.mark.skipif(shutil.which("java") is None, reason="java is not installed"),
    pytest.mark.skipif("BCLM_OWLAPI_CLASSPATH" not in os.environ and not OWLAPI_JAR.is_file(),
                       reason="the OWL API is not installed (apt-get install libowlapi-java)"),
]


def profile_check(*files: Path) -> tuple[int, dict[str, tuple[int, list[str]]]]:
    """Exit status and, per file, (axiom count, violations)."""
    result = subprocess.run(
        ["java", "-cp", CLASSPATH, str(JAVA_DIR / "ProfileCheck.java"), *map(str, files)],
        capture_output=True, text=True, timeout=600, check=False)
    assert "Exception" not in result.stderr, result.stderr[-2000:]
    report: dict[str, tuple[int, list[str]]] = {}
    current = ""
    for line in result.stdout.splitlines():
        if line.startswith("\t"):
            report[current][1].append(line.strip())
        else:
            current, axioms, _ = line.split("\t")
            report[current] = (int(axioms), [])
    return result.returncode, report


def test_release_is_owl2_dl(release_dir: Path) -> None:
    ontology, whole = release_dir / ONTOLOGY_FILE, release_dir / "bclm.ttl"
    base, full = release_dir / BASE_RDFXML, release_dir / FULL_RDFXML
    status, report = profile_check(ontology, whole, base, full)
    assert {name: violations for name, (_, violations) in report.items()} == {
        str(ontology): [], str(whole): [], str(base): [], str(full): []}
    assert status == 0
    # the whole release holds the ontology's axioms and the facts
    assert report[str(whole)][0] > 4 * report[str(ontology)][0] > 8000


def test_profile_check_finds_a_violation() -> None:
    status, report = profile_check(NOT_DL)
    assert status == 1
    assert any("https://example.org/p" in v for v in report[str(NOT_DL)][1])
