"""Tables 1 and 2 of the review: studies, registered trials, arms, outcomes, factors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from ..errors import SourceError
from ..namespaces import BCLM, CTGOV, DOI, kg
from .regimen import Component, arm_slug, parse_regimen, split_arms
from .sink import Sink
from .tsv_source import EMPTY, Row, read_tsv
from .vocab import Vocabulary

NCT = re.compile(r"^NCT\d{8}$")
CHICTR = re.compile(r"^ChiCTR\d+$")
NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
MEAN_SD = re.compile(r"^(\d+(?:\.\d+)?)±\d+(?:\.\d+)?$")
ONGOING = "进行中"
ET_AL = re.compile(r",?\s*等$")
SOURCE_DOI = re.compile(r"^doi:(10\.\d{4,9}/\S+)$")
CHICTR_RECORD = "https://www.chictr.org.cn/searchprojEN.html?regno="

COMMON = ("id", "row", "study", "ref", "year", "n", "interventions", "median_os", "os_3y",
          "os_5y", "favourable_factors")
ARM_COLUMNS = ("n", "median_os", "os_3y", "os_5y")
OUTCOMES = (
    # column, IRI suffix, class, timepoint, unit, label
    ("median_os", "median-os", BCLM.MedianOverallSurvival, None, "months", "median OS"),
    ("os_3y", "os-3y", BCLM.OverallSurvivalRate, 3, "percent", "3-year OS rate"),
    ("os_5y", "os-5y", BCLM.OverallSurvivalRate, 5, "percent", "5-year OS rate"),
)
PRINTED = {
    "n": BCLM.sampleSizeText,
    "interventions": BCLM.interventionText,
    "median_os": BCLM.medianOSText,
    "os_3y": BCLM.os3yText,
    "os_5y": BCLM.os5yText,
}


@dataclass(frozen=True)
class TableSpec:
    number: int
    file: str
    grouping: str
    has_country: bool


TABLES = (
    TableSpec(1, "table1.tsv", "international", True),
    TableSpec(2, "table2.tsv", "domestic", False),
)


@dataclass
class TabledStudy:
    """What the factor mentions need to know of a loaded row."""

    iri: URIRef
    factors_text: str
    row: Row
    source: URIRef | None = None  # a study added after the review: its own source


def parse_source(row: Row) -> URIRef | None:
    """The ``source`` cell of a study added after the review: ``doi:10.…`` or a registry id
    (NCT…, ChiCTR…); None when empty (a study of the review, which names its printed row)."""
    text = row.get("source")
    if text in EMPTY:
        return None
    if match := SOURCE_DOI.match(text):
        return DOI[match.group(1)]
    if NCT.match(text):
        return CTGOV[text]
    if CHICTR.match(text):
        return URIRef(CHICTR_RECORD + text)
    row.fail(f"column 'source': '{text}' is neither a DOI (doi:10.…) nor a registry id "
             "(NCT…, ChiCTR…)")
    return None


def _first_authors(data_dir: Path) -> dict[str, str]:
    """Reference number → printed first author ('Zhang P'), for English labels."""
    path = data_dir / "references.tsv"
    if not path.is_file():
        return {}
    return {row.get("number"): row.get("first_author") for row in read_tsv(path)}


def _cells(row: Row, column: str, arms: int, is_trial: bool) -> list[str | None]:
    """The per-arm values of a cell: one per arm, or all None for the paper's dash."""
    printed = row.get(column)
    if printed in EMPTY:
        return [None] * arms
    if column == "n" and is_trial:
        return [None] * arms  # a trial's n is its planned total, not per arm
    parts = split_arms(printed)
    if len(parts) != arms:
        row.fail(f"column '{column}' has {len(parts)} value(s) ('{printed}') but "
                 f"'interventions' has {arms} arm(s)")
    return [None if part in EMPTY else part for part in parts]


def _number(row: Row, column: str, text: str, sink: Sink | None = None) -> str:
    match = NUMBER.match(text) or (MEAN_SD.match(text) if column == "median_os" else None)
    if not match:
        row.fail(f"column '{column}': '{text}' is not a number")
    value = match.group(1) if match.groups() else match.group(0)
    if column in {"os_3y", "os_5y"} and not 0 <= float(value) <= 100:
        error = SourceError(row.path, row.line, f"column '{column}': OS rate {value}% is "
                            "outside 0–100")
        if sink is None:
            raise error
        sink.defer(error)  # the shapes check percentages too: they name the node
    if column == "median_os" and float(value) <= 0:
        row.fail(f"column '{column}': median OS {value} months must be positive")
    return value


def _sample_size(row: Row, text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        row.fail(f"column 'n': sample size '{text}' is not a positive whole number")
    return int(text)


class TableLoader:
    """Turns the rows of one table into RDF."""

    def __init__(self, sink: Sink, vocab: Vocabulary, spec: TableSpec) -> None:
        self.sink = sink
        self.vocab = vocab
        self.spec = spec
        self.path = sink.data_dir / "tables" / spec.file
        self.authors = _first_authors(sink.data_dir)

    def load(self, seen: dict[str, TabledStudy]) -> None:
        columns = COMMON + (("country",) if self.spec.has_country else ())
        rows = read_tsv(self.path, columns)
        printed_rows = [row for row in rows if row.get("source") in EMPTY and
                        row.get("row") not in EMPTY]  # rows of the review (not added after it)
        for expected, row in enumerate(printed_rows, start=1):
            if row.get("row") != str(expected):
                row.fail(f"column 'row' should be {expected}, found '{row.get('row')}'")
        for row in rows:
            ident = row.required("id")
            if ident in seen:
                row.fail(f"duplicate id '{ident}' (also {seen[ident].row.where})")
            seen[ident] = self.load_row(row, ident)
        rows = printed_rows
        printed = self.sink.structure.table_rows.get(self.spec.number)
        if printed is None:
            raise SourceError(self.path, None, f"the structure in review.yaml has no Table "
                              f"{self.spec.number}")
        if len(rows) != printed:
            raise SourceError(self.path, None, f"{len(rows)} rows, but the review's Table "
                              f"{self.spec.number} has {printed} (structure in review.yaml)")

    # -- one row --------------------------------------------------------------------
    def load_row(self, row: Row, ident: str) -> TabledStudy:
        sink = self.sink
        printed_study = row.required("study")
        is_trial = bool(NCT.match(printed_study) or CHICTR.match(printed_study))
        if is_trial and ident != printed_study:
            row.fail(f"a registered trial's id must be its registry id '{printed_study}'")
        if not is_trial and not re.fullmatch(r"[a-z-]+-\d{4}[a-z]?", ident):
            row.fail(f"study id '{ident}' should look like 'surname-2017' or 'surname-2018a'")
        subject = kg(f"trial/{ident}") if is_trial else kg(f"study/{ident}")
        source = parse_source(row)
        if source is not None and row.get("row") not in EMPTY:
            row.fail(f"column 'row': a study added after the review names its own source "
                     f"('{row.get('source')}') and no printed row of the table")
        sink.add(subject, RDF.type, BCLM.RegisteredTrial if is_trial else BCLM.PublishedStudy)
        self._where(row, subject, source)
        if source is None and row.get("row") not in EMPTY:  # the review's grouping of the
            # studies it prints (the claim checks use it; later studies are not in it)
            sink.add(subject, BCLM.paperGrouping, kg(f"grouping/{self.spec.grouping}"))
        sink.add(subject, BCLM.leadCountry, self._country(row))
        for column, predicate in PRINTED.items():
            if (text := row.get(column)) not in EMPTY:
                sink.add(subject, predicate, Literal(text))
        factors_text = row.get("favourable_factors")
        if factors_text not in EMPTY:
            sink.add(subject, BCLM.prognosticFactorsText, Literal(factors_text, lang="zh"))

        year_text = row.required("year")
        if year_text == ONGOING:
            sink.add(subject, BCLM.status, kg("status/ongoing"))
            year = None
        elif year_text.isdigit() and 1900 <= int(year_text) <= 2030:
            sink.add(subject, BCLM.status, kg("status/completed"))
            year = int(year_text)
            sink.integer(subject, BCLM.year, year)
        else:
            row.fail(f"column 'year': '{year_text}' is neither a year (1900–2030) nor {ONGOING}")

        if is_trial:
            self._trial(row, subject, ident)
        else:
            self._publication(row, subject, year, source)
        self._arms(row, subject, is_trial, source)
        return TabledStudy(subject, "" if factors_text in EMPTY else factors_text, row, source)

    def _where(self, row: Row, node: URIRef, source: URIRef | None) -> None:
        """Where a node comes from: its printed row of the table (a study of the review), or
        the study's own source (added after the review); and the line it is curated at.
        A row with neither is left for the shapes to report."""
        sink = self.sink
        if source is not None:
            sink.add(node, DCTERMS.source, source)
            sink.provenance.add((node, PROV.wasDerivedFrom, source))
        elif row.get("row").isdigit():
            sink.stated_in(node, sink.table_row(self.spec.number, int(row.get("row")),
                                                row.get("part") or None))
        elif row.get("row") not in EMPTY:
            row.fail(f"column 'row': '{row.get('row')}' is not a row number")
        sink.curated_at(node, self.path, row.line)

    def _country(self, row: Row) -> URIRef:
        if not self.spec.has_country:
            return kg("place/cn")
        printed = row.required("country")
        if printed not in self.vocab.place_by_zh:
            row.fail(f"column 'country': unknown country '{printed}' (add it to vocab/places.tsv)")
        return self.vocab.place_by_zh[printed]

    def _trial(self, row: Row, subject: URIRef, ident: str) -> None:
        sink = self.sink
        sink.add(subject, BCLM.registryId, Literal(ident))
        if NCT.match(ident):
            sink.add(subject, BCLM.registryRecord, CTGOV[ident])
        sink.integer(subject, BCLM.plannedSampleSize, _sample_size(row, row.required("n")))
        sink.labels(subject, ident, ident)

    def _publication(self, row: Row, subject: URIRef, year: int | None,
                     source: URIRef | None = None) -> None:
        sink = self.sink
        author = ET_AL.sub("", row.required("study")).strip()
        sink.add(subject, BCLM.firstAuthor, Literal(author))
        if row.get("ref") in EMPTY and (source is not None or row.get("row") in EMPTY):
            # not in the review's references (a row with neither a source nor a printed row
            # is left for the shapes to report)
            sink.labels(subject, f"{author} {year}", f"{author} 等 {year}")
            return
        ref = row.required("ref")
        if not ref.isdigit() or not sink.structure.has_reference(int(ref)):
            row.fail(f"column 'ref': '{ref}' is not a reference number "
                     f"1–{sink.structure.references}")
        sink.add(subject, BCLM.reportedIn, kg(f"reference/{ref}"))
        latin = author if author.isascii() or not self.authors.get(ref) else \
            self.authors[ref].split(" ")[0]
        sink.labels(subject, f"{latin} {year}", f"{author} 等 {year}")

    def _arms(self, row: Row, subject: URIRef, is_trial: bool,
              source: URIRef | None = None) -> None:
        sink = self.sink
        regimens = split_arms(row.required("interventions"))
        cells = {c: _cells(row, c, len(regimens), is_trial) for c in ARM_COLUMNS}
        slugs: set[str] = set()
        total = 0
        for index, regimen in enumerate(regimens):
            slug = arm_slug(regimen) or f"arm-{index + 1}"
            if slug in slugs:
                slug = f"{slug}-{index + 1}"
            slugs.add(slug)
            arm = URIRef(f"{subject}/arm/{slug}")
            sink.add(subject, BCLM.hasArm, arm)
            sink.add(arm, RDF.type, BCLM.Arm)
            sink.integer(arm, BCLM.armIndex, index + 1)
            sink.add(arm, BCLM.interventionText, Literal(regimen))
            self._where(row, arm, source)
            compact = re.sub(r"\s+", "", regimen)
            sink.labels(arm, f"{sink.label(subject, 'en')}, {compact} arm",
                        f"{sink.label(subject, 'zh')}, {compact}组")
            if is_trial:
                role = "experimental" if index == 0 else "comparator"
                sink.add(arm, BCLM.armRole, kg(f"role/{role}"))
            self._regimen(row, arm, regimen)
            if (n := cells["n"][index]) is not None:
                size = _sample_size(row, n)
                sink.integer(arm, BCLM.sampleSize, size)
                total += size
            for column, suffix, cls, years, unit, label in OUTCOMES:
                if (text := cells[column][index]) is not None:
                    self._outcome(row, arm, column, suffix, cls, years, unit, label, text,
                                  source)
        if not is_trial:
            if total == 0:
                row.fail("column 'n': a study needs a sample size")
            sink.integer(subject, BCLM.sampleSize, total)

    def _regimen(self, row: Row, arm: URIRef, regimen: str) -> None:
        try:
            components = parse_regimen(regimen)
        except ValueError as exc:
            row.fail(f"column 'interventions': {exc}")
        for number, component in enumerate(components, start=1):
            iris = [self._intervention(row, code) for code in component.codes]
            if component.kind == "single":
                self.sink.add(arm, BCLM.receivesIntervention, iris[0])
            else:
                self._choice(arm, number, component, iris)

    def _choice(self, arm: URIRef, number: int, component: Component, iris: list[URIRef]) -> None:
        sink = self.sink
        choice = URIRef(f"{arm}/choice/{number}")
        sink.add(arm, BCLM.hasInterventionChoice, choice)
        either = component.kind == "either"
        sink.add(choice, RDF.type, BCLM.EitherOrChoice if either else BCLM.AndOrChoice)
        sink.add(choice, BCLM.printedText, Literal(component.printed))
        for iri in iris:
            sink.add(choice, BCLM.option, iri)
        words = " or ".join(component.codes) if either else " and/or ".join(component.codes)
        sink.labels(choice, f"{'either ' if either else ''}{words}", component.printed)

    def _intervention(self, row: Row, code: str) -> URIRef:
        if code not in self.vocab.intervention_by_code:
            known = ", ".join(sorted(self.vocab.intervention_by_code))
            row.fail(f"column 'interventions': unknown intervention code '{code}' "
                     f"(known: {known}; add it to vocab/interventions.tsv)")
        return self.vocab.intervention_by_code[code]

    def _outcome(self, row: Row, arm: URIRef, column: str, suffix: str, cls: URIRef,
                 years: int | None, unit: str, label: str, text: str,
                 source: URIRef | None = None) -> None:
        sink = self.sink
        value = _number(row, column, text, sink)
        node = URIRef(f"{arm}/{suffix}")
        sink.add(arm, BCLM.hasOutcome, node)
        sink.add(node, RDF.type, cls)
        sink.add(node, BCLM.endpoint, kg("endpoint/overall-survival"))
        sink.decimal(node, BCLM.value, value)
        sink.add(node, BCLM.unit, kg(f"unit/{unit}"))
        sink.add(node, BCLM.printedValue, Literal(text))
        if years is not None:
            sink.integer(node, BCLM.timepointYears, years)
        self._where(row, node, source)
        arm_label = sink.label(arm, "en")
        shown = f"{text} months" if unit == "months" else f"{text}%"
        sink.labels(node, f"{label} {shown} ({arm_label})", None)


def load_factor_mentions(sink: Sink, vocab: Vocabulary, studies: dict[str, TabledStudy]) -> None:
    """Link each printed factor phrase to its normalised prognostic factor."""
    path = sink.data_dir / "tables" / "factor_mentions.tsv"
    counts: dict[str, int] = {}
    squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731 - the tables' spacing varies
    for row in read_tsv(path, ("study", "phrase", "factor", "note")):
        ident, phrase = row.required("study"), row.required("phrase")
        factor = row.required("factor")
        if ident not in studies:
            row.fail(f"unknown study '{ident}' (not in Table 1 or 2)")
        if factor not in vocab.factors:
            row.fail(f"unknown prognostic factor '{factor}' "
                     "(add it to vocab/prognostic_factors.tsv)")
        study = studies[ident]
        if squeeze(phrase) not in squeeze(study.factors_text):
            row.fail(f"phrase '{phrase}' does not occur in the printed factors of '{ident}' "
                     f"('{study.factors_text}')")
        counts[ident] = counts.get(ident, 0) + 1
        mention = URIRef(f"{study.iri}/factor-mention/{counts[ident]}")
        target = kg(f"factor/{factor}")
        sink.add(study.iri, BCLM.hasFavourablePrognosticFactor, target)
        sink.add(study.iri, BCLM.hasFactorMention, mention)
        sink.add(mention, RDF.type, BCLM.FactorMention)
        sink.add(mention, BCLM.mentionOf, target)
        sink.add(mention, BCLM.printedText, Literal(phrase, lang="zh"))
        sink.labels(mention, f"'{phrase}' → {factor}", phrase)
        if note := row.get("note"):
            sink.add(mention, RDFS.comment, Literal(note, lang="en"))
        if study.source is not None:
            sink.add(mention, DCTERMS.source, study.source)
        else:
            sink.stated_in(mention, sink.asserted.value(study.iri, BCLM.statedIn))
        sink.curated_at(mention, path, row.line)
    for ident, study in studies.items():
        if study.factors_text and ident not in counts and study.source is None:
            study.row.fail(f"the printed factors of '{ident}' have no line in {path.name}")


def load_lead_institution_places(sink: Sink, vocab: Vocabulary,
                                 studies: dict[str, TabledStudy]) -> None:
    """Places of lead institutions that the evidence names beside the table's grouping."""
    path = sink.data_dir / "tables" / "lead_institution_places.tsv"
    for row in read_tsv(path, ("study", "place", "evidence", "location")):
        ident, place = row.required("study"), row.required("place")
        if ident not in studies:
            row.fail(f"unknown study '{ident}' (not in Table 1 or 2)")
        if place not in vocab.places:
            row.fail(f"unknown place '{place}' (not in vocab/places.tsv)")
        subject = studies[ident].iri
        sink.add(subject, BCLM.leadInstitutionPlace, kg(f"place/{place}"))
        statement = URIRef(f"{subject}/statement/lead-institution-place")
        sink.add(subject, BCLM.hasStatement, statement)
        sink.add(statement, RDF.type, BCLM.ReviewStatement)
        sink.add(statement, RDFS.comment, Literal(row.required("evidence"), lang="en"))
        sink.labels(statement, f"lead institution in {place.upper()}", None)
        try:
            sink.stated_in(statement, sink.location(row.required("location")))
        except ValueError as exc:
            row.fail(str(exc))
        sink.curated_at(statement, path, row.line)


def load(sink: Sink, vocab: Vocabulary) -> dict[str, TabledStudy]:
    """Load both tables and the factor mentions; return the loaded rows by id."""
    studies: dict[str, TabledStudy] = {}
    for spec in TABLES:
        TableLoader(sink, vocab, spec).load(studies)
    load_factor_mentions(sink, vocab, studies)
    load_lead_institution_places(sink, vocab, studies)
    return studies
