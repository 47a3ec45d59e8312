"""The ontology's OBO-style release artefacts (base and full) and the w3id.org redirects."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from bclm_kg.artefacts import BASE_RDFXML, FULL_RDFXML
from bclm_kg.namespaces import BCLM, OBO
from bclm_kg.ontology import load_ontology, ontology_version
from bclm_kg.release import ONTOLOGY_FILE as ONTOLOGY_RDFXML
from bclm_kg.release import Release

HTACCESS = Path(__file__).resolve().parents[1] / "docs" / "w3id" / ".htaccess"


@pytest.fixture(scope="module")
def owl_files(release_dir: Path) -> dict[str, Graph]:
    return {name: Graph().parse(release_dir / name, format="xml")
            for name in (ONTOLOGY_RDFXML, BASE_RDFXML, FULL_RDFXML)}


def test_each_artefact_has_its_version_iri(owl_files: dict[str, Graph]) -> None:
    versions = {name: {str(v) for v in g.objects(None, OWL.versionIRI)}
                for name, g in owl_files.items()}
    release = f"https://w3id.org/bclm-kg/release/{ontology_version(load_ontology())}"
    assert versions == {
        ONTOLOGY_RDFXML: {f"{release}/ontology"},
        BASE_RDFXML: {f"{release}/bclm-base.owl"},
        FULL_RDFXML: {f"{release}/bclm-full.owl"},
    }


@pytest.mark.parametrize("name", [ONTOLOGY_RDFXML, BASE_RDFXML, FULL_RDFXML])
def test_rdfxml_declares_the_project_prefixes(release_dir: Path, name: str) -> None:
    """Elements are written as owl:Class, obo: and bclm: IRIs shortened, not every element
    with its own default namespace."""
    head = (release_dir / name).read_text(encoding="utf-8")[:2000]
    root = re.search(r"<rdf:RDF[^>]*>", head)
    assert root is not None
    for prefix in ("owl", "obo", "bclm", "rdfs"):
        assert f'xmlns:{prefix}="' in root.group(0), (name, prefix)
    assert '<owl:Class rdf:about="http://purl.obolibrary.org/obo/' in (
        release_dir / name).read_text(encoding="utf-8")


def own(graph: Graph) -> tuple[set, int]:
    """The triples about the project's terms (those with a blank node, e.g. a restriction, are
    counted: their labels differ from file to file)."""
    about = [t for t in graph if str(t[0]).startswith(str(BCLM))]
    return ({t for t in about if not isinstance(t[2], BNode)},
            sum(isinstance(t[2], BNode) for t in about))


def test_base_keeps_own_axioms_and_only_declares_imported_terms(
        owl_files: dict[str, Graph]) -> None:
    ontology, base = owl_files[ONTOLOGY_RDFXML], owl_files[BASE_RDFXML]
    assert own(base) == own(ontology)
    survival_rate = OBO["OBI_0000789"]
    assert (survival_rate, RDF.type, OWL.Class) in base
    assert (BCLM.OverallSurvivalRate, RDFS.subClassOf, survival_rate) in base
    assert list(base.objects(URIRef("http://www.w3.org/2004/02/skos/core#definition"),
                             RDFS.label)) == []
    assert list(base.objects(OBO["IAO_0000115"], RDFS.label)) == []


def test_full_labels_the_external_terms_from_the_verified_list(
        owl_files: dict[str, Graph]) -> None:
    full = owl_files[FULL_RDFXML]
    assert own(full) == own(owl_files[ONTOLOGY_RDFXML])
    assert full.value(OBO["OBI_0000789"], RDFS.label) == Literal("survival rate")
    assert full.value(OBO["OBI_0003698"], RDFS.label) == Literal(
        "observational clinical investigation")
    assert full.value(OBO["NCIT_C17886"], RDFS.label) == Literal("Meta-Analysis")
    assert full.value(URIRef("http://id.nlm.nih.gov/mesh/D006498"), RDFS.label) == Literal(
        "Hepatectomy")


def test_manifest_records_the_artefacts(release_dir: Path) -> None:
    files = Release(release_dir).manifest()["files"]
    for name in (BASE_RDFXML, FULL_RDFXML):
        assert files[name] == hashlib.sha256((release_dir / name).read_bytes()).hexdigest()


def test_w3id_redirects_point_at_what_the_service_serves() -> None:
    text = HTACCESS.read_text(encoding="utf-8")
    rules = re.findall(r"^RewriteRule\s+(\S+)\s+(\S+)\s+\[(R=\d+),L\]", text, re.M)
    assert rules and all(flag in ("R=303", "R=307") for _, _, flag in rules)
    downloads = {target.rsplit("/", 1)[-1] for _, target, _ in rules if "/download/" in target}
    assert downloads == {"bclm-ontology.owl", "$1.owl", "$1"}
    downloadable = Release(Path("build")).downloads()
    for name in ("bclm-ontology.owl", "bclm-base.owl", "bclm-full.owl"):
        assert downloadable[name] == "application/rdf+xml"
    ontology_rule = next(p for p, _, _ in rules if p.startswith("^(?:release"))
    for path in ("bclm-base.owl", "release/1.0.0/bclm-full.owl"):
        assert re.match(ontology_rule, path)
    # the last rule keeps the path: w3id.org/bclm-kg/study/ruiz-2017 -> service/study/ruiz-2017
    pattern, target, _ = rules[-1]
    assert re.sub(pattern, target.replace("$1", r"\1"), "study/ruiz-2017") == (
        "https://bclm-kg.example.org/study/ruiz-2017")
