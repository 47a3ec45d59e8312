"""``bclm-kg import-registry`` through the curation gate, on a temporary copy of ``data/``: a
record with a new status and posted results becomes a committed change whose triples carry the
record as their source; the same record again proposes nothing. (The record is a test record of
``tests/fixtures/registry``; its values are made up.)"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD

from bclm_kg.cli import main
from bclm_kg.namespaces import BASE, BCLM, kg

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "tests" / "fixtures" / "registry" / "NCT06135714-completed-results.json"
URL = URIRef("https://clinicaltrials.gov/study/NCT06135714")
SNAPSHOT = kg("trial/NCT06135714/registry-snapshot")


def test_a_new_status_and_posted_results_are_committed_with_the_records_provenance(
        tmp_path: Path) -> None:
    data, release = tmp_path / "data", tmp_path / "release"
    shutil.copytree(ROOT / "data", data)
    runner = CliRunner()
    args = ["import-registry", str(RECORD), "--data", str(data), "--release", str(release),
            "--as", "Registry Curator"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "  registry_status: (none) → COMPLETED" in lines
    assert "  registry_results_first_posted: (none) → 2026-08-12" in lines
    assert lines[-1].startswith("committed sub-")
    assert ": version 1.1.0+1, commit " in lines[-1]

    # the change is a commit of the curated data, by the curator, sourced from the record
    log = subprocess.run(["git", "-C", str(data), "log", "-1", "--format=%an%n%s%n%b"],
                         capture_output=True, text=True, check=True).stdout
    assert log.startswith("Registry Curator\nNCT06135714: ClinicalTrials.gov record of "
                          "2026-08-12\n")
    assert f"Source: {URL}" in log
    text = (data / "narrative/evidence.yaml").read_text("utf-8")
    assert "    registry_status: COMPLETED\n" in text
    assert "    registry_results_posted: true\n" in text

    # the new release: the facts on the snapshot, their source the record, never the review
    dataset = Dataset()
    dataset.parse(release / "current" / "bclm.trig", format="trig")
    asserted = dataset.graph(URIRef(BASE + "graph/asserted"))
    provenance = dataset.graph(URIRef(BASE + "graph/provenance"))
    assert asserted.value(kg("trial/NCT06135714"), BCLM.hasRegistrySnapshot) == SNAPSHOT
    facts = set(asserted.predicate_objects(SNAPSHOT))
    assert {
        (BCLM.registryStatus, Literal("COMPLETED")),
        (BCLM.registryResultsPosted, Literal(True)),
        (BCLM.registryResultsFirstPosted, Literal("2026-08-12", datatype=XSD.date)),
        (BCLM.registryEnrolment, Literal(331, datatype=XSD.integer)),
        (BCLM.registryEnrolmentType, Literal("ACTUAL")),
        (DCTERMS.source, URL),
        (BCLM.registryLastUpdated, Literal("2026-08-12", datatype=XSD.date)),
    } <= facts
    assert asserted.value(SNAPSHOT, BCLM.statedIn) is None
    assert (SNAPSHOT, PROV.wasDerivedFrom, URL) in provenance
    # the review's own statement about the trial is kept as printed
    assert asserted.value(kg("trial/NCT06135714"), BCLM.expectedResultsYear).toPython() == 2026

    # the same record again: nothing to change, nothing committed
    again = runner.invoke(main, args)
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[-1] == ("nothing to change: the graph agrees with the "
                                             "record")
    count = subprocess.run(["git", "-C", str(data), "rev-list", "--count", "HEAD"],
                           capture_output=True, text=True, check=True).stdout.strip()
    assert count == "2"  # the import of the data, then the one change
