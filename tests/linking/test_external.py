"""``graph/external``: labels of the mapped external terms from the verified list only."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from bclm_kg.linking.sources import xrefs
from bclm_kg.namespaces import GRAPH_EXTERNAL


@pytest.fixture(scope="module")
def external(release_dir: Path):
    dataset = Dataset()
    dataset.parse(release_dir / "bclm.trig", format="trig")
    return dataset.graph(GRAPH_EXTERNAL)


def test_labels_come_from_the_verified_list(external) -> None:
    verified = {row.iri: row for row in xrefs()}
    terms = set(external.subjects(RDFS.label, None))
    assert terms and terms <= {URIRef(iri) for iri in verified}
    for term in terms:
        assert external.value(term, RDFS.label) == Literal(verified[str(term)].label)
    rfa = URIRef("http://purl.obolibrary.org/obo/NCIT_C15666")
    assert external.value(rfa, RDFS.label) == Literal("Radiofrequency Ablation")
    assert external.value(rfa, SKOS.notation) == Literal("NCIT:C15666")


def test_labels_the_list_marks_as_the_papers_stay_out(external) -> None:
    trial = URIRef("https://clinicaltrials.gov/study/NCT04079049")
    assert (trial, RDFS.label, None) not in external


def test_no_parent_is_asserted_without_a_source(external) -> None:
    assert (None, RDFS.subClassOf, None) not in external
