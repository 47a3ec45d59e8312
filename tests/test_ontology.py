"""The ontology source: syntax, completeness, mappings, OWL 2 DL loading and HermiT reasoning."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

import bclm_kg
from bclm_kg.errors import SourceError
from bclm_kg.ingest.curies import expand
from bclm_kg.namespaces import BCLM, ONTOLOGY_IRI, kg
from bclm_kg.ontology import (
    MAPPINGS_FILE,
    ONTOLOGY_FILE,
    class_mappings,
    load_ontology,
    ontology_version,
    read_sssom,
    term_report,
)

XREFS = Path(__file__).resolve().parents[1] / "ontology/sources/xrefs.tsv"


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

# Terms the data loaders use beyond docs/data-model.md: kind, domain (None: none declared, a
# tuple: a union) and range.
DATA_CLASSES = ["ReviewStatement"]

DATA_OBJECT_PROPERTIES = {
    "hasStatement": ("Study", "ReviewStatement"),
    "aboutArm": ("ReviewStatement", "Arm"),
    "claimsAdvantage": ("ComparativeResult", "Advantage"),
    "suitedFor": ("ComparativeResult", "IndicationCriterion"),
    "belongsToTherapy": ("Drug", "Intervention"),
    "atPlace": (("HistoricalMilestone", "StudyGroup"), "Place"),
    "concernsIntervention": ("HistoricalMilestone", "Intervention"),
    "aboutStudy": ("HistoricalMilestone", "Study"),
    "appliesTo": (("IndicationCriterion", "Advantage"), "Intervention"),
    "forIndication": ("Advantage", "IndicationCriterion"),
    "hasComponentCriterion": ("IndicationCriterion", "IndicationCriterion"),
    "species": (("AnimalModel", "CellLine", "MouseStrain"), "Species"),
    "usesCellLine": ("AnimalModel", "CellLine"),
    "injectionRoute": ("AnimalModel", "InjectionRoute"),
    "hostStrain": ("AnimalModel", "MouseStrain"),
    "metastasisSite": ("AnimalModel", "owl:Thing"),  # an UBERON IRI
    "originStrain": ("CellLine", "MouseStrain"),
    "derivedFrom": ("CellLine", "CellLine"),
}

DATA_DATATYPE_PROPERTIES = {
    "recordIriBase": ("Registry", XSD.anyURI),
    "endYear": ("Period", XSD.integer),
    "criterionKind": ("IndicationCriterion", XSD.string),
    "maxLesions": ("IndicationCriterion", XSD.integer),
    "minDiseaseFreeIntervalMonths": ("IndicationCriterion", XSD.integer),
    "rationale": ("IndicationCriterion", RDF.PlainLiteral),
    "caveat": ("Advantage", RDF.PlainLiteral),
    "hostImmuneStatus": ("AnimalModel", XSD.string),
    "spontaneousMetastasis": ("AnimalModel", XSD.boolean),
    "metastasizesToOtherOrgans": ("AnimalModel", XSD.boolean),
    "mostCommonForBCLM": ("AnimalModel", XSD.boolean),
    "strength": ("AnimalModel", RDF.PlainLiteral),
    "limitation": ("AnimalModel", RDF.PlainLiteral),
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
        f"https://w3id.org/bclm-kg/release/{bclm_kg.__version__}/ontology"
    )
    assert ontology_version(graph) == bclm_kg.__version__  # one version number everywhere
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


def class_set(graph: Graph, node: URIRef | None) -> set[URIRef]:
    """The named classes of a domain or range: the class itself, or the members of a union."""
    if node is None:
        return set()
    union = graph.value(node, OWL.unionOf)
    return set(Collection(graph, union)) if union is not None else {node}


def expected_classes(spec: str | tuple[str, ...] | None) -> set[URIRef]:
    if spec is None:
        return set()
    if spec == "owl:Thing":
        return {OWL.Thing}
    return {BCLM[c] for c in ((spec,) if isinstance(spec, str) else spec)}


def test_data_loader_terms_are_declared(graph: Graph) -> None:
    for name in DATA_CLASSES:
        assert (BCLM[name], RDF.type, OWL.Class) in graph, name
    for name, (domain, range_) in DATA_OBJECT_PROPERTIES.items():
        prop = BCLM[name]
        assert (prop, RDF.type, OWL.ObjectProperty) in graph, name
        assert class_set(graph, graph.value(prop, RDFS.domain)) == expected_classes(domain), name
        assert class_set(graph, graph.value(prop, RDFS.range)) == expected_classes(range_), name
    for name, (domain, datatype) in DATA_DATATYPE_PROPERTIES.items():
        prop = BCLM[name]
        assert (prop, RDF.type, OWL.DatatypeProperty) in graph, name
        assert class_set(graph, graph.value(prop, RDFS.domain)) == expected_classes(domain), name
        assert graph.value(prop, RDFS.range) == datatype, name
    # A statement of the review is none of the other top-level kinds of thing.
    members = {
        m
        for d in graph.subjects(RDF.type, OWL.AllDisjointClasses)
        for m in Collection(graph, graph.value(d, OWL.members))
    }
    assert {BCLM.ReviewStatement, BCLM.Arm, BCLM.OutcomeMeasurement} <= members


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


# -- the data against the ontology ----------------------------------------------------------------

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def asserted() -> Graph:
    from bclm_kg.pipeline import ingest

    return ingest(DATA_DIR).asserted


def used_terms(data: Graph) -> set[URIRef]:
    """Every ``bclm:`` predicate and class (object of rdf:type) of ``data``."""
    terms = set(data.predicates()) | set(data.objects(None, RDF.type))
    return {t for t in terms if isinstance(t, URIRef) and str(t).startswith(str(BCLM))}


def test_every_bclm_term_of_the_data_is_declared(graph: Graph, asserted: Graph) -> None:
    used = used_terms(asserted)
    assert BCLM.ReviewStatement in used and BCLM.maxLesions in used
    declared = set(graph.subjects(RDF.type, None))
    assert sorted(str(t) for t in used - declared) == []
    classes = set(graph.subjects(RDF.type, OWL.Class))
    properties = (
        set(graph.subjects(RDF.type, OWL.ObjectProperty))
        | set(graph.subjects(RDF.type, OWL.DatatypeProperty))
        | set(graph.subjects(RDF.type, OWL.AnnotationProperty))
    )
    assert sorted(str(t) for t in set(asserted.objects(None, RDF.type)) & used - classes) == []
    assert sorted(str(t) for t in set(asserted.predicates()) & used - properties) == []


def test_data_fits_domains_ranges_and_datatypes(graph: Graph, asserted: Graph) -> None:
    """Subjects and objects of ``bclm:`` properties already have a type in the declared domain and
    range, and literals have the declared datatype, so the axioms add no surprising types."""

    def supers(cls: URIRef) -> set[URIRef]:
        return set(graph.transitive_objects(cls, RDFS.subClassOf))

    def types(node) -> set[URIRef]:
        return {s for t in asserted.objects(node, RDF.type) for s in supers(t)}

    def literal_fits(value: Literal, datatype: URIRef) -> bool:
        if datatype == RDF.PlainLiteral:
            return value.datatype is None
        if datatype == XSD.string:
            return value.datatype in (None, XSD.string) and value.language is None
        return value.datatype == datatype

    problems = []
    for prop in used_terms(asserted) & set(asserted.predicates()):
        # owl:Thing (statedIn, curatedAt, the external IRIs of registryRecord) holds for anything
        domain = class_set(graph, graph.value(prop, RDFS.domain)) - {OWL.Thing}
        range_ = graph.value(prop, RDFS.range)
        if range_ == OWL.Thing:
            range_ = None
        is_object = (prop, RDF.type, OWL.ObjectProperty) in graph
        for subject, value in asserted.subject_objects(prop):
            if domain and not types(subject) & domain:
                problems.append(f"{prop} domain: {subject}")
            if range_ is None:
                continue
            if is_object and not types(value) & class_set(graph, range_):
                problems.append(f"{prop} range: {value}")
            if isinstance(value, Literal) and not literal_fits(value, range_):
                problems.append(f"{prop} datatype: {value!r}")
    assert problems == []


# -- mappings -------------------------------------------------------------------------------------


def sssom_triples() -> set[tuple[URIRef, URIRef, URIRef]]:
    curie_map, rows = read_sssom(MAPPINGS_FILE)
    return {
        (
            expand(r["subject_id"], curie_map),
            expand(r["predicate_id"], curie_map),
            expand(r["object_id"], curie_map),
        )
        for r in rows
    }


def test_sssom_header_and_columns() -> None:
    text = MAPPINGS_FILE.read_text(encoding="utf-8")
    version = bclm_kg.__version__
    assert f"#mapping_set_id: https://w3id.org/bclm-kg/mappings/{version}" in text
    assert f'#mapping_set_version: "{version}"' in text
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
        cls = expand(row["subject_id"], curie_map)
        assert Literal(row["subject_label"], lang="en") in set(graph.objects(cls, RDFS.label))


def verified_xrefs() -> dict[tuple[str, str], dict[str, str]]:
    with open(XREFS, encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return {(r["predicate_id"], r["object_iri"]): r for r in csv.DictReader(lines, delimiter="\t")}


@pytest.mark.skipif(not XREFS.exists(), reason="ontology/sources/xrefs.tsv not available")
def test_mapping_objects_are_verified_xrefs(graph: Graph) -> None:
    verified = verified_xrefs()
    iris = {iri for _, iri in verified}
    curie_map, rows = read_sssom(MAPPINGS_FILE)
    for _, predicate, obj in class_mappings(graph):
        assert str(obj) in iris, obj
        assert (graph.namespace_manager.normalizeUri(predicate), str(obj)) in verified, obj
    for row in rows:
        key = (row["predicate_id"], str(expand(row["object_id"], curie_map)))
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
    outcome = kg("study/test-europe-hr/arm/hr/median-os")
    g.add((ARM, BCLM.hasOutcome, outcome))
    g.add((outcome, RDF.type, BCLM.MedianOverallSurvival))
    g.add((outcome, BCLM.printedValue, Literal("23.8±5.8")))
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


@pytest.mark.parametrize("kind, status", [
    (BCLM.RegisteredTrial, "ongoing"),  # still enrolling: prospective
    (BCLM.InterventionalRegisteredTrial, None),  # a clinical trial is prospective by design
])
def test_hermit_rejects_a_retrospective_registered_trial(tmp_path: Path, kind: URIRef,
                                                         status: str | None) -> None:
    from owlready2 import OwlReadyInconsistentOntologyError

    g = Graph()
    trial = kg("trial/NCT00000000")
    g.add((trial, RDF.type, kind))
    g.add((trial, BCLM.hasDesign, kg("design/retrospective")))
    if status:
        g.add((trial, BCLM.status, kg(f"status/{status}")))
    world, _ = owl_world(tmp_path, g)
    with pytest.raises(OwlReadyInconsistentOntologyError):
        reason(world)
    world.close()


def test_hermit_accepts_a_completed_retrospective_observational_study(tmp_path: Path) -> None:
    """Only ongoing or interventional registered studies are prospective; an observational one
    that is completed may look back."""
    g = Graph()
    study = kg("trial/NCT00000001")
    g.add((study, RDF.type, BCLM.ObservationalRegisteredStudy))
    g.add((study, BCLM.hasDesign, kg("design/retrospective")))
    g.add((study, BCLM.status, kg("status/completed")))
    world, _ = owl_world(tmp_path, g)
    reason(world)
    assert not isinstance(world[str(study)], world[str(BCLM.ProspectiveStudy)])
    assert isinstance(world[str(study)], world[str(BCLM.RetrospectiveStudy)])
    world.close()


def test_ontology_file_is_the_source() -> None:
    assert ONTOLOGY_FILE.name == "bclm.ttl" and ONTOLOGY_FILE.exists()
