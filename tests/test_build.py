"""The whole build: counts, reasoning, SHACL, determinism, atomic failure, CLI, export."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from bclm_kg.build import build_release
from bclm_kg.errors import SourceError
from bclm_kg.export import export_release
from bclm_kg.namespaces import BCLM, GRAPH_ASSERTED, GRAPH_INFERRED, kg

CLI = [sys.executable, "-m", "bclm_kg.cli"]


@pytest.fixture(scope="module")
def dataset(release_dir: Path) -> Dataset:
    ds = Dataset()
    ds.parse(release_dir / "bclm.trig", format="trig")
    return ds


def test_release_files_and_counts(release_dir: Path) -> None:
    manifest = json.loads((release_dir / "release.json").read_text(encoding="utf-8"))
    for name in ("bclm.ttl", "bclm.jsonld", "bclm.nt", "bclm.trig", "bclm-ontology.owl",
                 "mappings.sssom.tsv", "mappings.sssom.ttl", "context.jsonld", "prefixes.json"):
        digest = hashlib.sha256((release_dir / name).read_bytes()).hexdigest()
        assert manifest["files"][name] == digest
    counts = manifest["counts"]
    assert counts["trials"] == 8
    assert counts["references"] == 89
    assert counts["violations"] == 0
    assert counts["studies"] >= 46  # the 46 tabulated studies plus those named only in the text
    assert counts["inferred triples"] > 0


def test_jsonld_reads_like_json_and_round_trips(release_dir: Path) -> None:
    from rdflib.compare import isomorphic

    document = json.loads((release_dir / "bclm.jsonld").read_text(encoding="utf-8"))
    ruiz = next(n for n in document["@graph"]
                if n["id"] == "https://w3id.org/bclm-kg/study/ruiz-2017")
    assert ruiz["label"] == {"en": "Ruiz 2017", "zh": "Ruiz 等 2017"}
    assert ruiz["leadCountry"] == "https://w3id.org/bclm-kg/place/fr"
    parsed = Graph().parse(release_dir / "bclm.jsonld", format="json-ld")
    assert isomorphic(parsed, Graph().parse(release_dir / "bclm.nt", format="nt"))


def test_dumps_hold_the_same_triples(release_dir: Path, dataset: Dataset) -> None:
    """Turtle, N-Triples and the TriG's named graphs hold the same triples: the printed digits
    of a value stay (``"69"^^xsd:decimal`` is not written as ``69.0``)."""
    from rdflib.compare import isomorphic
    from rdflib.namespace import XSD

    nt = Graph().parse(release_dir / "bclm.nt", format="nt")
    turtle = Graph().parse(release_dir / "bclm.ttl", format="turtle")
    trig = Graph()
    for quad in dataset.quads():
        trig.add(quad[:3])
    assert len(nt) == len(turtle) == len(trig) > 0
    value = (kg("study/bacalbasa-2018/arm/hr/os-5y"), BCLM.value)  # Table 1: 5-year OS 69%
    assert [str(v) for v in turtle.objects(*value)] == ["69"]
    assert next(turtle.objects(*value)).datatype == XSD.decimal
    assert isomorphic(turtle, nt) and isomorphic(trig, nt)


def test_named_graphs(dataset: Dataset) -> None:
    names = {str(g.identifier).rsplit("/", 1)[1] for g in dataset.graphs()
             if str(g.identifier).startswith("https://w3id.org/bclm-kg/graph/")}
    assert names == {"ontology", "asserted", "inferred", "provenance", "external"}
    asserted = dataset.graph(GRAPH_ASSERTED)
    inferred = dataset.graph(GRAPH_INFERRED)
    assert not set(asserted) & set(inferred)


def test_german_resection_study_is_european_resection_study(dataset: Dataset) -> None:
    inferred, asserted = dataset.graph(GRAPH_INFERRED), dataset.graph(GRAPH_ASSERTED)
    weinrich = kg("study/weinrich-2014")  # Germany, HR
    assert (weinrich, RDF.type, BCLM.EuropeanResectionStudy) in inferred
    assert (weinrich, RDF.type, BCLM.EuropeanResectionStudy) not in asserted
    assert (weinrich, RDF.type, BCLM.Study) in inferred
    # Turkey's trial is European because the review counts it among Europe's trials
    assert (kg("trial/NCT02251353"), RDF.type, BCLM.EuropeanStudy) in inferred
    # a Chinese resection study is Asian, not European
    chen = kg("study/chen-2022")
    assert (chen, RDF.type, BCLM.ResectionStudy) in inferred
    assert (chen, RDF.type, BCLM.EuropeanStudy) not in inferred
    # an SIRT-only study is not a resection study
    assert (kg("study/gordon-2014"), RDF.type, BCLM.ResectionStudy) not in inferred


def test_property_chain_and_inverse_inferred(dataset: Dataset) -> None:
    inferred = dataset.graph(GRAPH_INFERRED)
    arm = URIRef(str(kg("study/sadot-2016")) + "/arm/hr-or-rfa")
    assert (arm, BCLM.mayReceiveIntervention, kg("intervention/rfa")) in inferred
    assert (arm, BCLM.involvesIntervention, kg("intervention/hr")) in inferred
    assert (arm, BCLM.armOf, kg("study/sadot-2016")) in inferred


def test_prospective_resection_trials_in_europe(release_dir: Path) -> None:
    from bclm_kg.export import load_store

    query = (Path(__file__).parents[1] / "bclm_kg/queries/web/examples/"
             "07-prospective-resection-trials-in-europe.rq").read_text(encoding="utf-8")
    store = load_store(release_dir)
    found = {s["registry_id"].value for s in store.query(query)}
    assert found == {"NCT04079049", "NCT02251353", "NCT06093022", "NCT04817813"}


def test_release_is_deterministic(release_dir: Path, data_dir: Path, tmp_path: Path) -> None:
    """Every release file is the same bytes when built again in a process with another hash
    seed (set iteration order differs between such processes)."""
    import os

    again = tmp_path / "again"
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    subprocess.run([*CLI, "build", "--data", str(data_dir), "--out", str(again)], check=True,
                   capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
    for name in ("bclm.ttl", "bclm.nt", "bclm.trig", "bclm.jsonld", "bclm-ontology.owl",
                 "mappings.sssom.ttl", "context.jsonld", "prefixes.json", "release.json"):
        assert (again / name).read_bytes() == (release_dir / name).read_bytes(), name


def broken_data(data_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir, target)
    path = target / "tables" / "table1.tsv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("139\tHR\t56\t58\t47", "139\tHR\t56\t58\t120"), encoding="utf-8")
    return target


def test_failed_build_keeps_previous_release(release_dir: Path, data_dir: Path,
                                             tmp_path: Path) -> None:
    out = tmp_path / "release"
    shutil.copytree(release_dir, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(SourceError, match=r"table1\.tsv:\d+: column 'os_5y': OS rate 120%"):
        build_release(out, broken_data(data_dir, tmp_path))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "release"]  # no staging left


def test_cli_build_reports_bad_input(data_dir: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [*CLI, "build", "--out", str(tmp_path / "out"), "--data", str(broken_data(data_dir,
                                                                                   tmp_path))],
        capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "table1.tsv:" in result.stderr and "OS rate 120%" in result.stderr
    assert not (tmp_path / "out").exists()


def test_export_csv_rows(release_dir: Path, dataset: Dataset) -> None:
    rows = list(csv.DictReader(io.StringIO(export_release(release_dir, "csv").decode("utf-8"))))
    arms = set(dataset.graph(GRAPH_ASSERTED).subjects(RDF.type, BCLM.Arm))
    assert len(rows) == len(arms)
    ruiz = [r for r in rows if r["study_iri"].endswith("/study/ruiz-2017")]
    assert len(ruiz) == 1
    row = ruiz[0]
    assert (row["first_author"], row["ref_no"], row["country"], row["year"]) == (
        "Ruiz", "37", "France", "2017")
    assert (row["arm_sample_size"], row["median_os_months"], row["os_3y_percent"],
            row["os_5y_percent"]) == ("139", "56", "58", "47")
    assert row["doi"] == "10.1245/s10434-016-5522-7"
    vogl = [r for r in rows if r["study_iri"].endswith("/study/vogl-2023")]
    assert [r["interventions"] for r in vogl] == ["LITT", "LITT+ TACE", "MWA", "MWA+TACE"]
    nct = [r for r in rows if r["registry_id"] == "NCT04079049"]
    assert {r["status"] for r in nct} == {"ongoing"} and nct[0]["planned_sample_size"] == "200"
    assert rows[0]["table"] == "1" and rows[0]["row"] == "1"


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "rdfxml"])
def test_export_rdf_formats_parse(release_dir: Path, fmt: str) -> None:
    data = export_release(release_dir, fmt)
    graph = Graph().parse(data=data, format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld",
                                            "rdfxml": "xml"}[fmt])
    assert (kg("study/ruiz-2017"), RDF.type, BCLM.PublishedStudy) in graph


def mutate(release_dir: Path, tmp_path: Path, old: str, new: str) -> Path:
    text = (release_dir / "bclm.nt").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "mutated.nt"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "focus"),
    [('<https://w3id.org/bclm-kg/study/kim-2014/arm/hr> '
      '<https://w3id.org/bclm-kg/ontology/sampleSize> "13"',
      '<https://w3id.org/bclm-kg/study/kim-2014/arm/hr> '
      '<https://w3id.org/bclm-kg/ontology/sampleSize> "-13"', "kim-2014/arm/hr"),
     ('<https://w3id.org/bclm-kg/study/ruiz-2017/arm/hr/os-5y> '
      '<https://w3id.org/bclm-kg/ontology/value> "47"',
      '<https://w3id.org/bclm-kg/study/ruiz-2017/arm/hr/os-5y> '
      '<https://w3id.org/bclm-kg/ontology/value> "147"', "ruiz-2017/arm/hr/os-5y"),
     ('<https://w3id.org/bclm-kg/study/veltri-2014/arm/rfa> '
      '<https://w3id.org/bclm-kg/ontology/receivesIntervention>',
      '<https://w3id.org/bclm-kg/study/veltri-2014/arm/rfa> '
      '<https://w3id.org/bclm-kg/ontology/unrelatedProperty>', "veltri-2014/arm/rfa")],
)
def test_validate_rejects_mutated_release(release_dir: Path, tmp_path: Path, old: str, new: str,
                                          focus: str) -> None:
    path = mutate(release_dir, tmp_path, old, new)
    result = subprocess.run([*CLI, "validate", str(path)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 1, result.stdout
    assert focus in result.stdout


def test_validate_accepts_release(release_dir: Path) -> None:
    result = subprocess.run([*CLI, "validate", str(release_dir / "bclm.ttl")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
