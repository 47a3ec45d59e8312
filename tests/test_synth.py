"""The synthetic evidence graph of bench/: deterministic, shaped like the real one, valid."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from bclm_kg.reasoning import graph_rows, infer, oxigraph_rows, reason
from bclm_kg.shapes import validate_graph
from bench.synth import generate, read_source

STUDIES = 60
BCLM = "https://w3id.org/bclm-kg/ontology/"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def source(release_dir: Path):
    return read_source(release_dir / "bclm.trig")


@pytest.fixture(scope="module")
def synthetic(source, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "synth.nq"
    generate(source, STUDIES, out, seed=7)
    return out


def count(path: Path, query: str) -> int:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return int(next(iter(store.query(query, use_default_graph_as_union=True)))[0].value)


def test_templates_are_the_real_table_studies(source, data_dir: Path) -> None:
    ids = set()
    for name in ("table1.tsv", "table2.tsv"):
        lines = [x for x in (data_dir / "tables" / name).read_text(encoding="utf-8").splitlines()
                 if x and not x.startswith("#")]
        ids |= {line.split("\t")[0] for line in lines[1:]}
    assert len(ids) == 54  # the distinct studies printed in Tables 1 and 2
    assert len(source.templates) == len(ids)
    assert min(source.years) == 2014  # the tables cover 2014-2024


def test_same_seed_same_bytes(source, synthetic: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again.nq", tmp_path / "other.nq"
    generate(source, STUDIES, again, seed=7)
    generate(source, STUDIES, other, seed=8)
    assert again.read_bytes() == synthetic.read_bytes()
    assert other.read_bytes() != synthetic.read_bytes()


def test_every_study_has_its_row_reference_and_review(synthetic: Path) -> None:
    prefix = "PREFIX bclm: <https://w3id.org/bclm-kg/ontology/> "
    studies = count(synthetic, prefix + """SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {
        { ?s a bclm:PublishedStudy } UNION { ?s a bclm:RegisteredTrial }
        ?s bclm:statedIn ?row . ?row a bclm:TableRow ; bclm:inPublication ?review .
        FILTER (STRSTARTS(STR(?review), "https://w3id.org/bclm-kg/review/synth-")) }""")
    assert studies == STUDIES
    references = count(synthetic, prefix + """SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {
        ?s bclm:reportedIn ?r . ?r bclm:referenceNumber ?k FILTER (?k > 1000) }""")
    assert 0 < references <= STUDIES
    reviews = count(synthetic, """SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {
        ?r a <https://w3id.org/bclm-kg/ontology/Review> }""")
    assert reviews == 1 + (STUDIES + 49) // 50


def test_synthetic_graph_is_valid(synthetic: Path) -> None:
    from bclm_kg.ontology import load_ontology

    dataset = Dataset()
    dataset.parse(synthetic, format="nquads")
    asserted, provenance = Graph(), Graph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        (asserted if str(g).endswith("/asserted") else provenance).add((s, p, o))
    ontology = load_ontology()
    inferred = reason(ontology, asserted).inferred
    report = validate_graph(asserted + inferred + provenance, ontology)
    assert report.conforms, report.text()[:2000]


def test_rules_read_nquads_as_they_read_an_rdflib_graph(synthetic: Path) -> None:
    """The benchmark's path (pyoxigraph rows of the N-Quads, no rdflib graph) infers what the
    build's path (an rdflib graph) infers; every study and trial, synthetic or real, is a
    bclm:Study by the class hierarchy."""
    from bclm_kg.ontology import load_ontology

    ontology = load_ontology()
    quads = [q for q in ox.parse(path=str(synthetic), format=ox.RdfFormat.N_QUADS)
             if q.graph_name.value.endswith("/asserted")]
    from_rows = set(infer(ontology, oxigraph_rows(quads)))
    asserted = Graph()
    asserted.parse(data="".join(f"{q.triple} .\n" for q in quads), format="nt")
    assert from_rows == set(infer(ontology, graph_rows(asserted)))
    assert from_rows == {tuple(map(str, t)) for t in reason(ontology, asserted).inferred}
    studies = {q.subject.value for q in quads if q.predicate.value == TYPE
               and q.object.value in (BCLM + "PublishedStudy", BCLM + "RegisteredTrial")}
    synthetic_ones = {s for s in studies if "/synth-" in s or "/NCT9" in s}
    assert len(synthetic_ones) >= STUDIES * 3 // 4  # most copies are published studies
    inferred_studies = {s for s, p, o in from_rows if p == TYPE and o == BCLM + "Study"}
    assert studies <= inferred_studies  # and the real meta-analyses and cohort besides
    assert {s for s in inferred_studies if "/synth-" in s or "/NCT9" in s} == synthetic_ones
