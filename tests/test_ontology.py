"""The ontology source: syntax, completeness, mappings, OWL 2 DL loading and HermiT reasoning."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from bclm_kg.errors import SourceError
from bclm_kg.namespaces import BCLM, ONTOLOGY_IRI, kg
from bclm_kg.ontology import (
    MAPPINGS_FILE,
    ONTOLOGY_FILE,
    class_mappings,
    expand_curie,
    load_ontology,
    ontology_version,
    read_sssom,
    term_report,
)

XREFS = Path(__file__).resolve().parents[2] / "shared/reference/xrefs.tsv"


def words(text: str) -> list[str]:
    """The whitespace-separated words of ``text``."""
    return text.split()


# Every class and property name of docs/data-model.md.
MODEL_CLASSES = words(
    """
Publication Review CitedWork PaperLocation TableRow SectionLocation FigureLocation
ReferenceListEntry Study PublishedStudy RegisteredTrial UnpublishedStudy MetaAnalysis Arm
InterventionChoice EitherOrChoice AndOrChoice OutcomeMeasurement MedianOverallSurvival
OverallSurvivalRate MeanSurvival PooledEstimate ComparativeResult HazardRatioResult
ChiSquaredTestResult SurvivalComparison StudyDesign TrialPhase StudyStatus Endpoint Unit
PaperGrouping Registry StudyGroup PrognosticFactor FactorMention Drug Place Country Region
RegionMembership Period HistoricalMilestone AnimalModel GeneticallyEngineeredMouseModel
XenograftModel SpontaneousMetastasisModel HaematogenousMetastasisModel CellLine MouseStrain
InjectionRoute Species IndicationCriterion Advantage CurationNote Person Organization
Intervention LocalTherapy SurgicalResection HepaticResection LaparoscopicHepatectomy Ablation
ThermalAblation RadiofrequencyAblation StereotacticRadiofrequencyAblation MicrowaveAblation
LaserInducedInterstitialThermotherapy Cryoablation EndocrineAblation TransarterialTherapy
TransarterialChemoembolization DrugElutingBeadChemoembolization
HepaticArterialInfusionChemotherapy SelectiveInternalRadiationTherapy Radiochemoembolization
Radiotherapy StereotacticBodyRadiotherapy BodyGammaKnife Brachytherapy SystemicTherapy
Chemotherapy EndocrineTherapy TargetedTherapy Immunotherapy AntiAngiogenicTherapy
AntibodyDrugConjugateTherapy TraditionalChineseMedicine UnspecifiedTreatment ResectionStudy
AblationStudy TransarterialStudy RadiotherapyStudy SystemicTherapyComparisonStudy EuropeanStudy
AsianStudy NorthAmericanStudy OceanianStudy EuropeanResectionStudy ProspectiveStudy
RetrospectiveStudy ProspectiveResectionStudy
"""
)

MODEL_OBJECT_PROPERTIES = words(
    """
hasArm armOf reportedIn registryRecord registry leadCountry leadInstitutionPlace paperGrouping
status hasDesign trialPhase armRole hasFavourablePrognosticFactor hasFactorMention mentionOf
usesAgent memberOfGroup receivesIntervention hasInterventionChoice option
mayReceiveIntervention involvesIntervention enteredBCLMTreatmentIn hasOutcome endpoint unit
forIntervention hasResult comparesArm againstArm inRegion hasRegionMembership region statedIn
inPublication curationNote citedIn
"""
)

MODEL_DATATYPE_PROPERTIES = {
    "armIndex": XSD.integer,
    "firstAuthor": XSD.string,
    "registryId": XSD.string,
    "year": XSD.integer,
    "sampleSize": XSD.integer,
    "plannedSampleSize": XSD.integer,
    "sampleSizeText": XSD.string,
    "interventionText": XSD.string,
    "medianOSText": XSD.string,
    "os3yText": XSD.string,
    "os5yText": XSD.string,
    "prognosticFactorsText": RDF.PlainLiteral,
    "printedText": RDF.PlainLiteral,
    "targetPopulation": RDF.PlainLiteral,
    "sponsor": RDF.PlainLiteral,
    "startYear": XSD.integer,
    "expectedResultsYear": XSD.integer,
    "value": XSD.decimal,
    "valueMin": XSD.decimal,
    "valueMax": XSD.decimal,
    "timepointYears": XSD.integer,
    "printedValue": XSD.string,
    "numberOfStudies": XSD.integer,
    "pValue": XSD.decimal,
    "pValueText": XSD.string,
    "ciLower": XSD.decimal,
    "ciUpper": XSD.decimal,
    "confidenceLevel": XSD.decimal,
    "statisticValue": XSD.decimal,
    "iso3166Alpha2": XSD.string,
    "m49Code": XSD.string,
    "basis": RDF.PlainLiteral,
    "tableNumber": XSD.integer,
    "rowNumber": XSD.integer,
    "sectionNumber": XSD.string,
    "paragraphNumber": XSD.integer,
    "figureNumber": XSD.integer,
    "entryNumber": XSD.integer,
    "suggestedValue": XSD.string,
    "noteCategory": XSD.string,
    "curatedAt": XSD.string,
    "authorsText": RDF.PlainLiteral,
    "journalTitle": RDF.PlainLiteral,
    "referenceNumber": XSD.integer,
    "publicationType": XSD.string,
}

ABBREVIATIONS = {
    "HepaticResection": "HR",
    "RadiofrequencyAblation": "RFA",
    "StereotacticRadiofrequencyAblation": "SRFA",
    "MicrowaveAblation": "MWA",
    "LaserInducedInterstitialThermotherapy": "LITT",
    "Cryoablation": "CRA",
    "EndocrineAblation": "EA",
    "TransarterialChemoembolization": "TACE",
    "HepaticArterialInfusionChemotherapy": "HAIC",
    "SelectiveInternalRadiationTherapy": "SIRT",
    "Radiochemoembolization": "RCE",
    "StereotacticBodyRadiotherapy": "SBRT",
    "Brachytherapy": "BT",
    "SystemicTherapy": "ST",
    "Chemotherapy": "CTX",
    "EndocrineTherapy": "ET",
    "TraditionalChineseMedicine": "TCM",
    "AntibodyDrugConjugateTherapy": "ADC",
}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_ontology()


# -- source file ----------------------------------------------------------------------------------


def test_parses_with_header(graph: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    assert graph.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(
        "https://w3id.org/bclm-kg/release/1.0.0/ontology"
    )
    assert ontology_version(graph) == "1.0.0"
    assert graph.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert graph.value(ONTOLOGY_IRI, DCTERMS.source) == URIRef(
        "https://doi.org/10.7659/j.issn.1005-6947.2024.05.002"
    )
    titles = {t.language for t in graph.objects(ONTOLOGY_IRI, DCTERMS.title)}
    assert titles == {"en", "zh"}


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e .\n", encoding="utf-8"
    )
    with pytest.raises(SourceError) as info:
        load_ontology(broken)
    assert info.value.path == str(broken)
    assert info.value.line == 3
    assert f"{broken}:3" in str(info.value)


def test_every_term_has_labels_and_definition(graph: Graph) -> None:
    assert term_report(graph) == []


def test_term_report_finds_gaps(graph: Graph) -> None:
    g = Graph()
    g += graph
    g.remove((BCLM.Arm, RDFS.label, Literal("研究组", lang="zh")))
    g.remove((BCLM.hasArm, SKOS.definition, None))
    report = term_report(g)
    assert any(line.startswith("bclm:Arm") and "@zh" in line for line in report)
    assert any(line.startswith("bclm:hasArm") and "definition" in line for line in report)


def test_data_model_terms_are_declared(graph: Graph) -> None:
    missing = [c for c in MODEL_CLASSES if (BCLM[c], RDF.type, OWL.Class) not in graph]
    missing += [
        p for p in MODEL_OBJECT_PROPERTIES if (BCLM[p], RDF.type, OWL.ObjectProperty) not in graph
    ]
    missing += [
        p
        for p in MODEL_DATATYPE_PROPERTIES
        if (BCLM[p], RDF.type, OWL.DatatypeProperty) not in graph
    ]
    assert missing == []
    for name, datatype in MODEL_DATATYPE_PROPERTIES.items():
        assert graph.value(BCLM[name], RDFS.range) == datatype, name


def test_no_iri_is_both_annotation_and_logical_property(graph: Graph) -> None:
    annotations = set(graph.subjects(RDF.type, OWL.AnnotationProperty))
    logical = set(graph.subjects(RDF.type, OWL.ObjectProperty)) | set(
        graph.subjects(RDF.type, OWL.DatatypeProperty)
    )
    assert annotations & logical == set()
    for prop in (SKOS.exactMatch, SKOS.definition, SKOS.member, DCTERMS.source, BCLM.abbreviation):
        assert prop in annotations


def test_property_axioms(graph: Graph) -> None:
    assert (BCLM.hasArm, OWL.inverseOf, BCLM.armOf) in graph
    assert (BCLM.armOf, RDF.type, OWL.FunctionalProperty) in graph
    for sub in (BCLM.receivesIntervention, BCLM.mayReceiveIntervention):
        assert (sub, RDFS.subPropertyOf, BCLM.involvesIntervention) in graph
    chain = graph.value(BCLM.mayReceiveIntervention, OWL.propertyChainAxiom)
    assert list(Collection(graph, chain)) == [BCLM.hasInterventionChoice, BCLM.option]


def test_abbreviations_and_full_names(graph: Graph) -> None:
    for name, code in ABBREVIATIONS.items():
        assert graph.value(BCLM[name], BCLM.abbreviation) == Literal(code), name
        langs = {n.language for n in graph.objects(BCLM[name], BCLM.fullName)}
        assert langs == {"en", "zh"}, name


def test_section_7_collections(graph: Graph) -> None:
    members = {
        str(c).rsplit("/", 1)[-1]: set(graph.objects(c, SKOS.member))
        for c in graph.subjects(RDF.type, SKOS.Collection)
    }
    assert members["section-7-ablation"] == {
        BCLM.RadiofrequencyAblation,
        BCLM.MicrowaveAblation,
        BCLM.Cryoablation,
        BCLM.EndocrineAblation,
        BCLM.LaserInducedInterstitialThermotherapy,
    }
    assert members["section-7-precision-radiotherapy"] == {
        BCLM.TransarterialChemoembolization,
        BCLM.Radiochemoembolization,
        BCLM.SelectiveInternalRadiationTherapy,
        BCLM.Brachytherapy,
    }


# -- mappings -------------------------------------------------------------------------------------


def sssom_triples() -> set[tuple[URIRef, URIRef, URIRef]]:
    curie_map, rows = read_sssom(MAPPINGS_FILE)
    return {
        (
            expand_curie(r["subject_id"], curie_map),
            expand_curie(r["predicate_id"], curie_map),
            expand_curie(r["object_id"], curie_map),
        )
        for r in rows
    }


def test_sssom_header_and_columns() -> None:
    text = MAPPINGS_FILE.read_text(encoding="utf-8")
    assert "#mapping_set_id: https://w3id.org/bclm-kg/mappings/1.0.0" in text
    assert "#license: https://creativecommons.org/licenses/by/4.0/" in text
    _, rows = read_sssom(MAPPINGS_FILE)
    assert rows
    assert list(rows[0]) == [
        "subject_id",
        "subject_label",
        "predicate_id",
        "object_id",
        "object_label",
        "mapping_justification",
        "confidence",
        "comment",
    ]
    for row in rows:
        assert row["mapping_justification"] == "semapv:ManualMappingCuration"
        assert float(row["confidence"]) in {0.95, 0.7}
        assert row["comment"].startswith("source_checked: ")


def test_mappings_in_ontology_equal_sssom(graph: Graph) -> None:
    assert class_mappings(graph) == sssom_triples()


def test_sssom_labels_are_the_class_labels(graph: Graph) -> None:
    curie_map, rows = read_sssom(MAPPINGS_FILE)
    for row in rows:
        cls = expand_curie(row["subject_id"], curie_map)
        assert Literal(row["subject_label"], lang="en") in set(graph.objects(cls, RDFS.label))


def verified_xrefs() -> dict[tuple[str, str], dict[str, str]]:
    with open(XREFS, encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return {(r["predicate_id"], r["object_iri"]): r for r in csv.DictReader(lines, delimiter="\t")}


@pytest.mark.skipif(not XREFS.exists(), reason="shared/reference/xrefs.tsv not available")
def test_mapping_objects_are_verified_xrefs(graph: Graph) -> None:
    verified = verified_xrefs()
    iris = {iri for _, iri in verified}
    curie_map, rows = read_sssom(MAPPINGS_FILE)
    for _, predicate, obj in class_mappings(graph):
        assert str(obj) in iris, obj
        assert (graph.namespace_manager.normalizeUri(predicate), str(obj)) in verified, obj
    for row in rows:
        key = (row["predicate_id"], str(expand_curie(row["object_id"], curie_map)))
        assert verified[key]["object_label"] == row["object_label"]


# -- OWL 2 DL and HermiT --------------------------------------------------------------------------

STUDY = kg("study/test-europe-hr")
ARM = kg("study/test-europe-hr/arm/hr")
ARM2 = kg("study/test-europe-hr/arm/hr-or-rfa")
CHOICE = kg("study/test-europe-hr/arm/hr-or-rfa/choice")
HR = kg("intervention/test-hr")
RFA = kg("intervention/test-rfa")
COUNTRY = kg("place/test-de")
EUROPE = kg("place/europe")


def abox() -> Graph:
    g = Graph()
    g.add((STUDY, RDF.type, BCLM.PublishedStudy))
    g.add((STUDY, BCLM.hasArm, ARM))
    g.add((STUDY, BCLM.hasArm, ARM2))
    g.add((STUDY, BCLM.leadCountry, COUNTRY))
    g.add((COUNTRY, RDF.type, BCLM.Country))
    g.add((COUNTRY, BCLM.inRegion, EUROPE))
    g.add((ARM, RDF.type, BCLM.Arm))
    g.add((ARM, BCLM.receivesIntervention, HR))
    g.add((HR, RDF.type, BCLM.HepaticResection))
    g.add((ARM2, RDF.type, BCLM.Arm))
    g.add((ARM2, BCLM.hasInterventionChoice, CHOICE))
    g.add((CHOICE, RDF.type, BCLM.EitherOrChoice))
    g.add((CHOICE, BCLM.option, RFA))
    g.add((RFA, RDF.type, BCLM.RadiofrequencyAblation))
    g.add((ARM, BCLM.sampleSize, Literal(12, datatype=XSD.integer)))
    g.add((ARM, BCLM.printedValue, Literal("23.8±5.8")))
    return g


def owl_world(tmp_path: Path, extra: Graph | None = None):
    """A fresh owlready2 World holding the ontology (plus ``extra``) read from N-Triples."""
    from owlready2 import World

    g = Graph()
    g += load_ontology()
    if extra is not None:
        g += extra
    path = tmp_path / "bclm.nt"
    g.serialize(path, format="nt", encoding="utf-8")
    world = World()
    onto = world.get_ontology(path.as_uri()).load()
    return world, onto


def reason(world) -> None:
    from owlready2 import sync_reasoner

    sync_reasoner(world, infer_property_values=True, debug=0)


@pytest.fixture(scope="module")
def reasoned_abox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    world, _ = owl_world(tmp_path_factory.mktemp("abox"), abox())
    reason(world)
    yield world
    world.close()


def test_owlready2_loads_the_ontology(tmp_path: Path) -> None:
    world, onto = owl_world(tmp_path)
    names = {c.name for c in onto.classes()}
    assert {"Study", "HepaticResection", "EuropeanResectionStudy"} <= names
    chain = world[str(BCLM.mayReceiveIntervention)]
    assert chain is not None and chain.property_chain
    world.close()


def test_hermit_finds_the_ontology_consistent(tmp_path: Path) -> None:
    world, _ = owl_world(tmp_path)
    reason(world)
    assert list(world.inconsistent_classes()) == []
    world.close()


def test_hermit_classifies_a_european_resection_study(reasoned_abox) -> None:
    world = reasoned_abox
    study = world[str(STUDY)]
    for name in ("ResectionStudy", "EuropeanStudy", "EuropeanResectionStudy", "AblationStudy"):
        assert isinstance(study, world[str(BCLM[name])]), name
    for name in ("AsianStudy", "TransarterialStudy", "SystemicTherapyComparisonStudy"):
        assert not isinstance(study, world[str(BCLM[name])]), name


def test_hermit_infers_choice_options(reasoned_abox) -> None:
    world = reasoned_abox
    arm, rfa, hr = world[str(ARM2)], world[str(RFA)], world[str(HR)]
    assert rfa in world[str(BCLM.mayReceiveIntervention)][arm]  # the property chain
    assert world[str(STUDY)] in world[str(BCLM.armOf)][arm]  # the inverse of hasArm
    # HermiT's command line lists no values for super-properties, so owlready2 stores only the
    # most specific ones; involvesIntervention follows from the sub-property axioms.
    involves = world[str(BCLM.involvesIntervention)]
    assert rfa in getattr(arm, "INDIRECT_" + involves.python_name)
    assert hr in getattr(world[str(ARM)], "INDIRECT_" + involves.python_name)


def test_hermit_rejects_a_retrospective_registered_trial(tmp_path: Path) -> None:
    from owlready2 import OwlReadyInconsistentOntologyError

    g = Graph()
    trial = kg("trial/NCT00000000")
    g.add((trial, RDF.type, BCLM.RegisteredTrial))
    g.add((trial, BCLM.hasDesign, kg("design/retrospective")))
    world, _ = owl_world(tmp_path, g)
    with pytest.raises(OwlReadyInconsistentOntologyError):
        reason(world)
    world.close()


def test_ontology_file_is_the_source() -> None:
    assert ONTOLOGY_FILE.name == "bclm.ttl" and ONTOLOGY_FILE.exists()
