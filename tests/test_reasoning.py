"""Reasoning by rules after HermiT's classification gives exactly HermiT's inferred graph on the
real data, and reports inconsistencies as HermiT does."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from bclm_kg.errors import InconsistencyError
from bclm_kg.namespaces import BCLM, kg
from bclm_kg.reasoning import reason


@pytest.fixture(scope="module")
def ontology() -> Graph:
    from bclm_kg.ontology import load_ontology

    return load_ontology()


@pytest.fixture(scope="module")
def asserted(data_dir: Path) -> Graph:
    from bclm_kg.pipeline import ingest

    return ingest(data_dir).asserted


@pytest.fixture(scope="module")
def by_rules(ontology: Graph, asserted: Graph) -> Graph:
    return reason(ontology, asserted, engine="rules").inferred


def test_rules_give_hermits_inferred_graph(ontology: Graph, asserted: Graph,
                                           by_rules: Graph) -> None:
    by_hermit = reason(ontology, asserted, engine="hermit").inferred
    assert set(by_rules) == set(by_hermit)
    assert len(by_rules) > 1000


def test_defined_classes_from_the_tables(by_rules: Graph) -> None:
    # Ruiz 2017 (Table 1 row 15): hepatic resection, Germany → a European resection study
    study = kg("study/ruiz-2017")
    for cls in (BCLM.ResectionStudy, BCLM.EuropeanStudy, BCLM.EuropeanResectionStudy):
        assert (study, RDF.type, cls) in by_rules
    # the property chain: an arm printed "HR/RFA" may receive either
    arm = kg("study/sadot-2016/arm/hr-or-rfa")
    assert (arm, BCLM.mayReceiveIntervention, kg("intervention/rfa")) in by_rules
    assert (arm, BCLM.involvesIntervention, kg("intervention/hr")) in by_rules


def test_both_designs_are_inconsistent(ontology: Graph, asserted: Graph) -> None:
    broken = Graph()
    for triple in asserted:
        broken.add(triple)
    study = kg("study/ruiz-2017")
    broken.add((study, BCLM.hasDesign, URIRef(kg("design/prospective"))))
    broken.add((study, BCLM.hasDesign, URIRef(kg("design/retrospective"))))
    with pytest.raises(InconsistencyError, match="ruiz-2017"):
        reason(ontology, broken, engine="rules")


def test_two_regions_of_a_milestone_are_inconsistent(ontology: Graph, asserted: Graph) -> None:
    # bclm:atPlace is functional and the regions are declared different
    broken = Graph()
    for triple in asserted:
        broken.add(triple)
    milestone = next(s for s in asserted.subjects(BCLM.atPlace) if isinstance(s, URIRef))
    for region in ("place/europe", "place/asia"):
        broken.add((milestone, BCLM.atPlace, URIRef(kg(region))))
    with pytest.raises(InconsistencyError, match=(
            f"<{milestone}> has two different values of the functional property "
            f"<{BCLM.atPlace}>: .*<{kg('place/asia')}>, .*<{kg('place/europe')}>")):
        reason(ontology, broken, engine="rules")


def test_unknown_engine(ontology: Graph) -> None:
    with pytest.raises(ValueError, match="unknown reasoning engine 'pellet'"):
        reason(ontology, Graph(), engine="pellet")
