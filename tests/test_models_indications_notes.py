"""Animal models, indications and advantages, curation notes: exact values from the review and
clear errors on bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from bclm_kg.errors import SourceError
from bclm_kg.ingest import indications, models, notes
from bclm_kg.ingest.sink import Sink
from bclm_kg.namespaces import BCLM, CELLOSAURUS, OBO, kg


@pytest.fixture(scope="module")
def loaded(data_dir: Path) -> Sink:
    sink = Sink(data_dir)
    for module in (models, indications, notes):
        module.load(sink)
    return sink


def location(table: int, row: int) -> URIRef:
    return kg(f"review/jiang-2024/table-{table}/row-{row}")


# -- animal models ------------------------------------------------------------------------------


def test_4t1_derives_from_410_4(loaded: Sink) -> None:
    g = loaded.asserted
    assert g.value(kg("cell-line/4t1"), BCLM.derivedFrom) == kg("cell-line/410-4")
    assert g.value(kg("cell-line/410-4"), BCLM.originStrain) == kg("strain/balb-cfc3h")
    assert g.value(kg("strain/balb-cfc3h"), BCLM.printedValue) == Literal("BALB/cfCH3H")
    for subline in ("d2a1-m1", "d2a1-m2"):
        assert g.value(kg(f"cell-line/{subline}"), BCLM.derivedFrom) == kg("cell-line/d2a1")
    assert g.value(kg("cell-line/d2a1"), BCLM.originStrain) == kg("strain/balb-c")
    assert (kg("cell-line/4t1"), DCTERMS.source, kg("reference/81")) in g


def test_portal_vein_is_the_most_common_route(loaded: Sink) -> None:
    g = loaded.asserted
    most_common = set(g.subjects(BCLM.mostCommonForBCLM, Literal(True, datatype=XSD.boolean)))
    assert most_common == {kg("animal-model/portal-vein-injection")}
    model = kg("animal-model/portal-vein-injection")
    assert (model, RDF.type, BCLM.HaematogenousMetastasisModel) in g
    assert g.value(model, BCLM.injectionRoute) == kg("route/portal-vein")
    assert set(g.objects(model, DCTERMS.source)) == {kg("reference/79"), kg("reference/80")}
    haematogenous = set(g.subjects(RDF.type, BCLM.HaematogenousMetastasisModel))
    routes = {g.value(m, BCLM.injectionRoute) for m in haematogenous}
    assert routes == {kg(f"route/{r}") for r in ("intracardiac", "intrasplenic", "portal-vein")}


def test_cellosaurus_only_for_mda_mb_231_and_4t1(loaded: Sink) -> None:
    g = loaded.asserted
    assert (kg("cell-line/mda-mb-231"), SKOS.exactMatch, CELLOSAURUS["CVCL_0062"]) in g
    assert (kg("cell-line/4t1"), SKOS.exactMatch, CELLOSAURUS["CVCL_0125"]) in g
    for unmapped in ("410-4", "d2a1", "d2a1-m1", "d2a1-m2"):
        assert g.value(kg(f"cell-line/{unmapped}"), SKOS.exactMatch) is None
    assert g.value(kg("cell-line/mda-mb-231"), BCLM.species) == kg("species/human")
    assert (kg("species/mouse"), SKOS.exactMatch, OBO["NCBITaxon_10090"]) in g


def test_transgenic_models_keep_the_printed_name(loaded: Sink) -> None:
    g = loaded.asserted
    model = kg("animal-model/h19-igf2-transgenic")
    assert (model, RDF.type, BCLM.GeneticallyEngineeredMouseModel) in g
    assert (model, RDFS.label, Literal("H19-IGF2 transgenic mouse", lang="en")) in g
    assert "H19-ICF2" in str(g.value(model, BCLM.printedValue))
    assert g.value(model, BCLM.curationNote) == kg("note/h19-igf2-spelling")
    assert g.value(model, BCLM.metastasisSite) == OBO["UBERON_0002107"]
    xenograft = kg("animal-model/mda-mb-231-orthotopic")
    assert g.value(xenograft, BCLM.injectionRoute) == kg("route/orthotopic")
    assert g.value(xenograft, BCLM.usesCellLine) == kg("cell-line/mda-mb-231")


# -- indications and advantages -------------------------------------------------------------------


def test_fewer_than_four_lesions(loaded: Sink) -> None:
    g = loaded.asserted
    criterion = kg("indication/fewer-than-4-liver-lesions")
    assert (criterion, RDF.type, BCLM.IndicationCriterion) in g
    assert g.value(criterion, BCLM.maxLesions).toPython() == 3
    assert "少于 4 个" in str(g.value(criterion, BCLM.printedText))
    assert g.value(criterion, DCTERMS.source) == kg("reference/83")
    assert g.value(criterion, BCLM.appliesTo) == kg("intervention/hr")
    profile = kg("indication/curative-surgery-candidates")
    assert criterion in set(g.objects(profile, BCLM.hasComponentCriterion))
    assert g.value(kg("indication/oligometastasis"), BCLM.maxLesions).toPython() == 5
    assert g.value(kg("indication/solitary-metastasis"), BCLM.maxLesions).toPython() == 1


def test_rfa_and_hr_choices(loaded: Sink) -> None:
    g = loaded.asserted
    assert g.value(kg("indication/limited-stage-unsuitable-for-hr"), BCLM.appliesTo) == \
        kg("intervention/rfa")
    assert g.value(kg("indication/limited-stage-unsuitable-for-hr"), DCTERMS.source) == \
        kg("reference/86")
    assert g.value(kg("indication/selected-surgical-candidates"), DCTERMS.source) == \
        kg("reference/85")
    cost = kg("advantage/cost-utility")
    assert (cost, RDF.type, BCLM.Advantage) in g
    assert g.value(cost, DCTERMS.source) == kg("reference/84")
    assert g.value(kg("advantage/more-treatment-options"), BCLM.caveat) is not None


# -- curation notes -------------------------------------------------------------------------------


def test_vertriest_note_is_attached_to_study_and_reference(loaded: Sink) -> None:
    g = loaded.asserted
    note = kg("note/vertriest-spelling")
    assert set(g.subjects(BCLM.curationNote, note)) == {kg("study/verriest-2015"),
                                                        kg("reference/13")}
    assert (note, RDF.type, BCLM.CurationNote) in g
    assert g.value(note, BCLM.noteCategory) == Literal("spelling")
    assert g.value(note, BCLM.printedValue) == Literal("Verriest")
    assert g.value(note, BCLM.suggestedValue) == Literal("Vertriest")
    assert set(g.objects(note, BCLM.statedIn)) == {
        location(1, 8), kg("review/jiang-2024/reference-list/entry-13")}
    assert g.value(note, RDFS.comment).language == "en"
    (where,) = loaded.provenance.objects(note, BCLM.curatedAt)
    path, line = str(where).rsplit(":", 1)
    assert path == "data/curation_notes.yaml"
    text = Path(loaded.data_dir, "curation_notes.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[int(line) - 1].strip() == "- id: vertriest-spelling"


def test_every_note_is_complete(loaded: Sink) -> None:
    g = loaded.asserted
    notes_found = set(g.subjects(RDF.type, BCLM.CurationNote))
    assert len(notes_found) >= 20
    for note in notes_found:
        assert str(g.value(note, BCLM.noteCategory)) in notes.CATEGORIES
        for predicate in (RDFS.comment, BCLM.printedValue, BCLM.suggestedValue, BCLM.statedIn):
            assert g.value(note, predicate) is not None, (note, predicate)
        assert any(True for _ in g.subjects(BCLM.curationNote, note)), note


def test_country_notes(loaded: Sink) -> None:
    g = loaded.asserted
    about = set(g.subjects(BCLM.curationNote, kg("note/innsbruck-austria-not-australia")))
    assert {kg("study/bale-2016"), kg("study/schullian-2021")} <= about
    note = kg("note/ruiz-2018b-country")
    assert g.value(note, BCLM.noteCategory) == Literal("country")
    assert location(1, 19) in set(g.objects(note, BCLM.statedIn))


# -- bad input ------------------------------------------------------------------------------------


def _copy(data_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    (target / "narrative").mkdir(parents=True)
    (target / "vocab").mkdir()
    for rel in ("curation_notes.yaml", "narrative/animal_models.yaml",
                "narrative/indications.yaml", "vocab/interventions.tsv", "review.yaml"):
        shutil.copy(data_dir / rel, target / rel)
    return target


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` by ``new``; return the 1-based line of the change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    index = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, index) + 1


BAD_INPUTS = [
    # (file, loader, old text, new text, words expected in the message)
    ("curation_notes.yaml", notes, "category: country", "category: geography",
     "unknown category 'geography'"),
    ("curation_notes.yaml", notes, "locations: [table-1/row-8, reference-13]",
     "locations: [table-1/row-31, reference-13]", "unknown location 'table-1/row-31'"),
    ("curation_notes.yaml", notes, "locations: [section-2/paragraph-4, reference-24]",
     "locations: [section-2/paragraph-9, reference-24]", "unknown location"),
    ("curation_notes.yaml", notes, "    suggested: Vertriest\n", "    suggestion: Vertriest\n",
     "unknown key 'suggestion'"),
    ("curation_notes.yaml", notes, "about: [reference/24, milestone",
     "about: [referenc/24, milestone", "'referenc/24'"),
    ("narrative/animal_models.yaml", models, "stated_in: [section-5/paragraph-3]\n",
     "stated_in: [section-5/paragraph-7]\n", "unknown location 'section-5/paragraph-7'"),
    ("narrative/animal_models.yaml", models, "derived_from: 410-4", "derived_from: 410-5",
     "unknown cell line '410-5'"),
    ("narrative/animal_models.yaml", models, "kind: XenograftModel", "kind: Xenograft",
     "unknown model kind"),
    ("narrative/indications.yaml", indications, "applies_to: [sirt, tace]",
     "applies_to: [sirt, tacee]", "unknown intervention 'tacee'"),
    ("narrative/indications.yaml", indications, "reference: [86]", "reference: [90]",
     "not an entry of the reference list"),
    ("narrative/indications.yaml", indications, "    max_lesions: 5\n",
     "    max_lesions: five\n", "'max_lesions' must be a whole number"),
]


@pytest.mark.parametrize(("rel", "loader", "old", "new", "words"), BAD_INPUTS)
def test_bad_input_names_file_and_line(data_dir: Path, tmp_path: Path, rel: str, loader,
                                       old: str, new: str, words: str) -> None:
    target = _copy(data_dir, tmp_path)
    line = _edit(target / rel, old, new)
    with pytest.raises(SourceError) as caught:
        loader.load(Sink(target))
    error = caught.value
    assert error.path == str(target / rel)
    assert error.line == line, str(error)
    assert words in error.message
    assert f"{rel.rsplit('/', 1)[-1]}:{line}:" in str(error)


def test_missing_evidence(data_dir: Path, tmp_path: Path) -> None:
    target = _copy(data_dir, tmp_path)
    path = target / "curation_notes.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: stehlin-1988-doi")
    end = text.index("    locations: [reference-12]")
    block = text[start:end]
    cut = block.index("    evidence:")
    path.write_text(text[:start] + block[:cut] + text[end:], encoding="utf-8")
    with pytest.raises(SourceError, match="missing required key 'evidence'") as caught:
        notes.load(Sink(target))
    assert caught.value.line == text.count("\n", 0, start) + 1
