"""Load the review's narrative evidence: ``data/narrative/evidence.yaml`` and ``history.yaml``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..errors import SourceError
from ..namespaces import BCLM, CTGOV, kg
from .curies import parse_mappings
from .sink import Sink, location_from_text
from .sources import line_of, read_yaml
from .vocab import vocabulary_ids

EVIDENCE = Path("narrative/evidence.yaml")
HISTORY = Path("narrative/history.yaml")

# measure -> (class, unit, IRI suffix, English name, Chinese name); "{y}" is the timepoint.
MEASURES = {
    "median-os": (BCLM.MedianOverallSurvival, "months", "median-os", "median OS", "中位OS"),
    "os-rate": (BCLM.OverallSurvivalRate, "percent", "os-{y}y", "{y}-year OS rate", "{y}年OS率"),
    "mean-survival": (BCLM.MeanSurvival, "months", "mean-survival", "mean survival", "平均生存期"),
}
RESULT_KINDS = {
    "survival-comparison": BCLM.SurvivalComparison,
    "hazard-ratio": BCLM.HazardRatioResult,
    "chi-squared": BCLM.ChiSquaredTestResult,
}
STUDY_KINDS = {"published": BCLM.PublishedStudy, "unpublished": BCLM.UnpublishedStudy}
# A trial's `study_type` also gives it the class of registered study it is.
TRIAL_TYPES = {"interventional": BCLM.InterventionalRegisteredTrial,
               "observational": BCLM.ObservationalRegisteredStudy}
# Designs, phases and study types are three separate SKOS concept schemes.
SCHEMES = {"design": "study-designs", "phase": "trial-phases", "study-type": "study-types"}
ROLES = {"experimental", "comparator"}
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TRIAL_ID = re.compile(r"^(NCT\d{8}|ChiCTR\d+)$")
SUBJECT = re.compile(r"^(study/[a-z0-9]+(-[a-z0-9]+)*|trial/(NCT\d{8}|ChiCTR\d+))$")

OUTCOME_KEYS = {"measure", "years", "value", "value_min", "value_max", "printed"}


@dataclass
class Item:
    """One YAML mapping with the file and line it came from."""

    path: Path
    line: int | None
    node: Any

    def fail(self, message: str, key: str | None = None) -> NoReturn:
        line = line_of(self.node, key) if key else self.line
        raise SourceError(self.path, line or self.line, message)

    def check(self, required: set[str], optional: Iterable[str] = ()) -> Item:
        if not isinstance(self.node, dict):
            self.fail("expected a mapping of keys to values")
        allowed = required | set(optional)
        for key in self.node:
            if key not in allowed:
                self.fail(f"unknown key '{key}'", key)
        for key in sorted(required - set(self.node)):
            self.fail(f"missing required key '{key}'")
        return self

    def has(self, key: str) -> bool:
        return self.node.get(key) is not None

    def text(self, key: str) -> str:
        value = self.node.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"'{key}' must be non-empty text", key)
        return value.strip()

    def integer(self, key: str) -> int:
        value = self.node.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"'{key}' must be a whole number, found {value!r}", key)
        return value

    def number(self, key: str, percent: bool = False, upper: int | None = None) -> str:
        """A decimal as printed (quoted string); percentages must lie in 0-100."""
        value = self.node.get(key)
        if isinstance(value, float):
            self.fail(f"'{key}' must be quoted (\"{value}\") to keep the printed digits", key)
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if not isinstance(text, str) or not NUMBER.match(text.strip()):
            self.fail(f"'{key}' must be a number, found {value!r}", key)
        limit = 100 if percent else upper
        if limit is not None and not 0 <= Decimal(text) <= limit:
            self.fail(f"'{key}' = {text} is outside 0-{limit}", key)
        return text.strip()

    def lang(self, key: str) -> tuple[str, str]:
        """An {en, zh} pair of texts."""
        node = self.node.get(key)
        sub = Item(self.path, line_of(self.node, key), node).check({"en", "zh"})
        return sub.text("en"), sub.text("zh")

    def codes(self, key: str, allowed: Iterable[str], what: str) -> list[str]:
        value = self.node.get(key)
        values = value if isinstance(value, list) else [value]
        allowed = set(allowed)
        for code in values:
            if not isinstance(code, str) or code not in allowed:
                self.fail(f"unknown {what} '{code}' in '{key}'", key)
        return list(values)

    def slug(self, key: str, pattern: re.Pattern[str] = SLUG) -> str:
        value = self.text(key)
        if not pattern.match(value):
            self.fail(f"'{key}' = '{value}' is not a valid identifier", key)
        return value

    def items(self, key: str) -> list[Item]:
        seq = self.node.get(key) or []
        if not isinstance(seq, list):
            self.fail(f"'{key}' must be a list", key)
        return [Item(self.path, line_of(seq, i), node) for i, node in enumerate(seq)]


@dataclass
class Context:
    """The sink plus the identifiers an item may refer to."""

    sink: Sink
    interventions: set[str]
    places: set[str]
    defined: dict[str, set[str]] = field(default_factory=dict)

    def emit_common(self, item: Item, iri: URIRef, cls: URIRef | None, label_key: str = "label"):
        """Type, labels, comment, printed text, locations and curation line of a subject."""
        if cls is not None:
            self.sink.add(iri, RDF.type, cls)
        if item.has(label_key):
            self.sink.labels(iri, *item.lang(label_key))
        if item.has("comment"):
            self.comment(iri, *item.lang("comment"))
        self.located(item, iri)

    def located(self, item: Item, iri: URIRef, key: str = "stated_in") -> None:
        for loc in self.locations(item, key):
            self.sink.stated_in(iri, loc)
        self.sink.curated_at(iri, item.path, item.line)

    def locations(self, item: Item, key: str = "stated_in") -> list[URIRef]:
        if not item.has(key):
            return []
        value = item.node.get(key)
        texts = value if isinstance(value, list) else [value]
        try:
            return [location_from_text(self.sink, str(t)) for t in texts]
        except ValueError as exc:
            item.fail(f"unknown location: {exc}", key)

    def comment(self, iri: URIRef, en: str, zh: str) -> None:
        self.sink.add(iri, RDFS.comment, Literal(en, lang="en"))
        self.sink.add(iri, RDFS.comment, Literal(zh, lang="zh"))

    def zh(self, iri: URIRef, prop: URIRef, text: str) -> None:
        self.sink.add(iri, prop, Literal(text, lang="zh"))

    def reference(self, item: Item, iri: URIRef, prop: URIRef) -> None:
        if item.has("reference"):
            number = item.integer("reference")
            if not 1 <= number <= 89:
                item.fail(f"reference {number} is not in the review's list (1-89)", "reference")
            self.sink.add(iri, prop, kg(f"reference/{number}"))

    def designs(self, item: Item, iri: URIRef) -> None:
        """`designs`, `study_types` and `phase` of a study, trial or milestone."""
        for key, kind, prop in (("designs", "design", BCLM.hasDesign),
                                ("study_types", "study-type", BCLM.hasStudyType),
                                ("phase", "phase", BCLM.trialPhase)):
            if item.has(key):
                for code in item.codes(key, self.defined.get(kind, ()), kind):
                    self.sink.add(iri, prop, kg(f"{kind}/{code}"))

    def mappings(self, item: Item, iri: URIRef) -> None:
        """skos mappings written as 'skos:exactMatch NCIT:C123' (verified xrefs only)."""
        seq = item.node.get("mappings") or []
        if not isinstance(seq, list):
            item.fail("'mappings' must be a list", "mappings")
        for index, text in enumerate(seq):
            try:
                pairs = parse_mappings(str(text))
            except ValueError as exc:
                raise SourceError(item.path, line_of(seq, index), str(exc)) from exc
            for predicate, target in pairs:
                self.sink.add(iri, predicate, target)

    def measurement(self, item: Item, iri: URIRef, owner: URIRef, names: tuple[str, str] | None,
                    classes: tuple[URIRef, ...] = ()) -> None:
        """An outcome: value (or printed range), unit, endpoint, timepoint; labels are made
        from ``names`` (the owner's labels) unless it is None."""
        measure = item.codes("measure", MEASURES, "measure")[0]
        cls, unit, _, en, zh = MEASURES[measure]
        years = self.timepoint(item, measure)
        percent = unit == "percent"
        if item.has("value"):
            self.sink.decimal(iri, BCLM.value, item.number("value", percent))
        elif item.has("value_min") and item.has("value_max"):
            self.sink.decimal(iri, BCLM.valueMin, item.number("value_min", percent))
            self.sink.decimal(iri, BCLM.valueMax, item.number("value_max", percent))
        else:
            item.fail("an outcome needs 'value' or both 'value_min' and 'value_max'")
        for c in (cls, *classes):
            self.sink.add(iri, RDF.type, c)
        self.sink.add(owner, BCLM.hasOutcome, iri)
        self.sink.add(iri, BCLM.endpoint, kg("endpoint/overall-survival"))
        self.sink.add(iri, BCLM.unit, kg(f"unit/{unit}"))
        if years is not None:
            self.sink.integer(iri, BCLM.timepointYears, years)
        if item.has("printed"):
            self.sink.add(iri, BCLM.printedValue, Literal(item.text("printed")))
        if names is not None:
            y = str(years)
            self.sink.labels(iri, f"{names[0]}: {en.format(y=y)}", f"{names[1]} {zh.format(y=y)}")

    def timepoint(self, item: Item, measure: str) -> int | None:
        if measure == "os-rate":
            return item.integer("years")
        if item.has("years"):
            item.fail(f"'years' applies to os-rate, not {measure}", "years")
        return None


def outcome_suffix(item: Item) -> str:
    measure = item.codes("measure", MEASURES, "measure")[0]
    return MEASURES[measure][2].format(y=item.node.get("years"))


# -- vocabulary-like items -------------------------------------------------------------------
def load_design(ctx: Context, item: Item, kind: str, cls: URIRef) -> None:
    item.check({"id", "label"}, {"mappings", "record_base"})
    code = item.slug("id")
    iri = kg(f"{kind}/{code}")
    ctx.emit_common(item, iri, cls)
    ctx.mappings(item, iri)
    if kind in SCHEMES:
        ctx.sink.add(iri, SKOS.inScheme, kg(f"scheme/{SCHEMES[kind]}"))
    if item.has("record_base"):
        base = Literal(item.text("record_base"), datatype=XSD.anyURI)
        ctx.sink.add(iri, BCLM.recordIriBase, base)
    ctx.defined.setdefault(kind, set()).add(code)


def load_drug(ctx: Context, item: Item) -> None:
    item.check({"id", "label", "therapy", "stated_in"}, {"mappings", "reference", "comment"})
    iri = kg(f"drug/{item.slug('id')}")
    ctx.emit_common(item, iri, BCLM.Drug)
    ctx.mappings(item, iri)
    therapy = item.codes("therapy", ctx.interventions, "intervention")[0]
    ctx.sink.add(iri, BCLM.belongsToTherapy, kg(f"intervention/{therapy}"))
    ctx.reference(item, iri, DCTERMS.source)
    ctx.defined.setdefault("drug", set()).add(item.text("id"))


# -- studies -----------------------------------------------------------------------------------
def load_study(ctx: Context, item: Item) -> None:
    item.check({"id", "kind", "label", "stated_in"},
               {"first_author", "year", "reference", "lead_country", "sample_size", "sponsor",
                "designs", "comment", "arms"})
    sid = item.slug("id")
    iri = kg(f"study/{sid}")
    kind = item.codes("kind", STUDY_KINDS, "study kind")[0]
    ctx.emit_common(item, iri, STUDY_KINDS[kind])
    study_common(ctx, item, iri)
    names = item.lang("label")
    for index, arm in enumerate(item.items("arms"), start=1):
        load_arm(ctx, arm, sid, index, names, ctx.locations(item))


def study_common(ctx: Context, item: Item, iri: URIRef) -> None:
    """Properties shared by narrative studies and meta-analyses."""
    sink = ctx.sink
    if item.has("first_author"):
        sink.add(iri, BCLM.firstAuthor, Literal(item.text("first_author")))
    if item.has("year"):
        sink.integer(iri, BCLM.year, item.integer("year"))
    ctx.reference(item, iri, BCLM.reportedIn)
    if item.has("lead_country"):
        place = item.codes("lead_country", ctx.places, "place")[0]
        sink.add(iri, BCLM.leadCountry, kg(f"place/{place}"))
    if item.has("sample_size"):
        sink.integer(iri, BCLM.sampleSize, item.integer("sample_size"))
    if item.has("number_of_studies"):
        sink.integer(iri, BCLM.numberOfStudies, item.integer("number_of_studies"))
    if item.has("sponsor"):
        en, zh = item.lang("sponsor")
        sink.add(iri, BCLM.sponsor, Literal(en, lang="en"))
        sink.add(iri, BCLM.sponsor, Literal(zh, lang="zh"))
    ctx.designs(item, iri)


def load_arm(ctx: Context, item: Item, sid: str, index: int, names: tuple[str, str],
             locs: list[URIRef]) -> None:
    item.check({"slug", "label", "interventions"},
               {"role", "sample_size", "comment", "outcomes"})
    slug = item.slug("slug")
    iri = kg(f"study/{sid}/arm/{slug}")
    sink = ctx.sink
    sink.add(iri, RDF.type, BCLM.Arm)
    sink.add(kg(f"study/{sid}"), BCLM.hasArm, iri)
    sink.integer(iri, BCLM.armIndex, index)
    en, zh = item.lang("label")
    arm_names = (f"{names[0]}, {en} arm", f"{names[1]} {zh}组")
    sink.labels(iri, *arm_names)
    if item.has("comment"):
        ctx.comment(iri, *item.lang("comment"))
    codes = item.codes("interventions", ctx.interventions, "intervention")
    for code in codes:
        sink.add(iri, BCLM.receivesIntervention, kg(f"intervention/{code}"))
    shown = ("not specified" if code == "unspecified" else code.upper() for code in codes)
    sink.add(iri, BCLM.interventionText, Literal("+".join(shown)))
    if item.has("role"):
        sink.add(iri, BCLM.armRole, kg(f"role/{item.codes('role', ROLES, 'arm role')[0]}"))
    if item.has("sample_size"):
        sink.integer(iri, BCLM.sampleSize, item.integer("sample_size"))
    for loc in locs:
        sink.stated_in(iri, loc)
    sink.curated_at(iri, item.path, item.line)
    for out in item.items("outcomes"):
        out.check({"measure"}, OUTCOME_KEYS)
        out_iri = kg(f"study/{sid}/arm/{slug}/{outcome_suffix(out)}")
        ctx.measurement(out, out_iri, iri, arm_names)
        for loc in locs:
            sink.stated_in(out_iri, loc)
        sink.curated_at(out_iri, out.path, out.line)


def load_result(ctx: Context, item: Item) -> None:
    item.check({"study", "slug", "kind", "label", "stated_in"},
               {"compares", "against", "statistic", "ci_lower", "ci_upper", "confidence_level",
                "p_value", "p_value_text", "printed", "comment", "advantages", "suited_for"})
    sid = item.slug("study")
    iri = kg(f"study/{sid}/result/{item.slug('slug')}")
    sink = ctx.sink
    ctx.emit_common(item, iri, RESULT_KINDS[item.codes("kind", RESULT_KINDS, "result kind")[0]])
    sink.add(kg(f"study/{sid}"), BCLM.hasResult, iri)
    for key, prop in (("compares", BCLM.comparesArm), ("against", BCLM.againstArm)):
        if item.has(key):
            sink.add(iri, prop, kg(f"study/{sid}/arm/{item.slug(key)}"))
    for key, prop, upper in (("statistic", BCLM.statisticValue, None),
                             ("ci_lower", BCLM.ciLower, None), ("ci_upper", BCLM.ciUpper, None),
                             ("confidence_level", BCLM.confidenceLevel, 100),
                             ("p_value", BCLM.pValue, 1)):
        if item.has(key):
            sink.decimal(iri, prop, item.number(key, upper=upper))
    if item.has("p_value_text"):
        sink.add(iri, BCLM.pValueText, Literal(item.text("p_value_text")))
    if item.has("printed"):
        ctx.zh(iri, BCLM.printedText, item.text("printed"))
    locs = ctx.locations(item)
    for key, prop, cls, kind in (("advantages", BCLM.claimsAdvantage, BCLM.Advantage, "advantage"),
                                 ("suited_for", BCLM.suitedFor, BCLM.IndicationCriterion,
                                  "indication")):
        for sub in item.items(key):
            sub.check({"id", "label"})
            target = kg(f"{kind}/{sub.slug('id')}")
            sink.add(iri, prop, target)
            sink.add(target, RDF.type, cls)
            sink.labels(target, *sub.lang("label"))
            for loc in locs:
                sink.stated_in(target, loc)
            sink.curated_at(target, sub.path, sub.line)


def load_statement(ctx: Context, item: Item) -> None:
    item.check({"study", "slug", "label", "stated_in"},
               {"arm", "sample_size", "value", "unit", "years", "printed", "comment"})
    sid = item.slug("study")
    iri = kg(f"study/{sid}/statement/{item.slug('slug')}")
    study = kg(f"study/{sid}")
    arm = kg(f"study/{sid}/arm/{item.slug('arm')}") if item.has("arm") else None
    sink = ctx.sink
    ctx.emit_common(item, iri, BCLM.ReviewStatement)
    sink.add(study, BCLM.hasStatement, iri)
    if arm is not None:
        sink.add(iri, BCLM.aboutArm, arm)
    statement_value(ctx, item, iri)
    if item.has("printed"):
        ctx.zh(iri, BCLM.printedText, item.text("printed"))


def statement_value(ctx: Context, item: Item, iri: URIRef) -> None:
    sink = ctx.sink
    if item.has("sample_size"):
        sink.integer(iri, BCLM.sampleSize, item.integer("sample_size"))
    if item.has("years"):
        sink.integer(iri, BCLM.timepointYears, item.integer("years"))
    if item.has("value"):
        unit = item.codes("unit", ("percent", "months"), "unit")[0] if item.has("unit") else None
        if unit is None:
            item.fail("a statement 'value' needs a 'unit' (percent or months)", "value")
        sink.decimal(iri, BCLM.value, item.number("value", percent=unit == "percent"))
        sink.add(iri, BCLM.unit, kg(f"unit/{unit}"))


def load_study_design(ctx: Context, item: Item) -> None:
    item.check({"study", "design", "stated_in"}, {"evidence"})
    iri = kg(f"study/{item.slug('study')}")
    design = item.codes("design", ctx.defined.get("design", ()), "design")[0]
    ctx.sink.add(iri, BCLM.hasDesign, kg(f"design/{design}"))
    ctx.located(item, iri)


def load_meta_analysis(ctx: Context, item: Item) -> None:
    item.check({"id", "label", "reference", "conclusion", "stated_in"},
               {"first_author", "year", "number_of_studies", "designs", "study_types",
                "estimates"})
    mid = item.slug("id")
    iri = kg(f"meta-analysis/{mid}")
    ctx.emit_common(item, iri, BCLM.MetaAnalysis)
    ctx.comment(iri, *item.lang("conclusion"))
    study_common(ctx, item, iri)
    locs, names = ctx.locations(item), item.lang("label")
    for est in item.items("estimates"):
        est.check({"slug", "intervention", "measure"}, OUTCOME_KEYS | {"number_of_studies"})
        est_iri = kg(f"meta-analysis/{mid}/estimate/{est.slug('slug')}")
        code = est.codes("intervention", ctx.interventions, "intervention")[0]
        label = (f"{names[0]}, {code.upper()}", f"{names[1]} {code.upper()}")
        ctx.measurement(est, est_iri, iri, label, (BCLM.PooledEstimate,))
        ctx.sink.add(est_iri, BCLM.forIntervention, kg(f"intervention/{code}"))
        if est.has("number_of_studies"):
            ctx.sink.integer(est_iri, BCLM.numberOfStudies, est.integer("number_of_studies"))
        for loc in locs:
            ctx.sink.stated_in(est_iri, loc)
        ctx.sink.curated_at(est_iri, est.path, est.line)


def load_group(ctx: Context, item: Item) -> None:
    item.check({"id", "label", "members", "comment", "stated_in"}, {"place", "outcome"})
    gid = item.slug("id")
    iri = kg(f"group/{gid}")
    ctx.emit_common(item, iri, BCLM.StudyGroup)
    members = item.node.get("members") or []
    for member in members:
        if not isinstance(member, str) or not SUBJECT.match(member):
            item.fail(f"'{member}' is not a study/... or trial/... identifier", "members")
        ctx.sink.add(kg(member), BCLM.memberOfGroup, iri)
    if item.has("place"):
        ctx.sink.add(iri, BCLM.atPlace, kg(f"place/{item.codes('place', ctx.places, 'place')[0]}"))
    if item.has("outcome"):
        out = Item(item.path, line_of(item.node, "outcome"), item.node["outcome"])
        out.check({"measure", "intervention"}, OUTCOME_KEYS)
        out_iri = kg(f"group/{gid}/outcome/{outcome_suffix(out)}")
        ctx.measurement(out, out_iri, iri, item.lang("label"))
        code = out.codes("intervention", ctx.interventions, "intervention")[0]
        ctx.sink.add(out_iri, BCLM.forIntervention, kg(f"intervention/{code}"))
        ctx.located(item, out_iri)


def load_trial(ctx: Context, item: Item) -> None:
    item.check({"id", "registry", "stated_in"},
               {"designs", "phase", "study_type", "sponsor", "target_population", "start_year",
                "expected_results_year", "agents", "comment"})
    tid = item.slug("id", TRIAL_ID)
    iri = kg(f"trial/{tid}")
    sink = ctx.sink
    registry = item.codes("registry", ctx.defined.get("registry", ()), "registry")[0]
    sink.add(iri, BCLM.registry, kg(f"registry/{registry}"))
    sink.add(iri, BCLM.registryId, Literal(tid))
    if registry == "clinicaltrials-gov":
        sink.add(iri, BCLM.registryRecord, CTGOV[tid])
    if item.has("study_type"):
        kind = item.codes("study_type", TRIAL_TYPES, "study type")[0]
        sink.add(iri, RDF.type, TRIAL_TYPES[kind])
        sink.add(iri, BCLM.hasStudyType, kg(f"study-type/{kind}"))
    ctx.designs(item, iri)
    for key, prop in (("sponsor", BCLM.sponsor), ("target_population", BCLM.targetPopulation)):
        if item.has(key):
            en, zh = item.lang(key)
            sink.add(iri, prop, Literal(en, lang="en"))
            sink.add(iri, prop, Literal(zh, lang="zh"))
    for key, prop in (("start_year", BCLM.startYear),
                      ("expected_results_year", BCLM.expectedResultsYear)):
        if item.has(key):
            sink.integer(iri, prop, item.integer(key))
    for agent in item.items("agents"):
        agent.check({"arm", "drug"})
        drug = agent.codes("drug", ctx.defined.get("drug", ()), "drug")[0]
        sink.add(kg(f"trial/{tid}/arm/{agent.slug('arm')}"), BCLM.usesAgent, kg(f"drug/{drug}"))
    ctx.emit_common(item, iri, None)


# -- history -----------------------------------------------------------------------------------
def load_period(ctx: Context, item: Item) -> None:
    item.check({"id", "label", "printed", "stated_in"}, {"start_year", "end_year"})
    pid = item.slug("id")
    iri = kg(f"period/{pid}")
    ctx.emit_common(item, iri, BCLM.Period)
    ctx.zh(iri, BCLM.printedText, item.text("printed"))
    for key, prop in (("start_year", BCLM.startYear), ("end_year", BCLM.endYear)):
        if item.has(key):
            ctx.sink.integer(iri, prop, item.integer(key))
    ctx.defined.setdefault("period", set()).add(pid)


def load_introduced(ctx: Context, item: Item) -> None:
    item.check({"intervention", "period", "printed", "stated_in"})
    code = item.codes("intervention", ctx.interventions, "intervention")[0]
    period = item.codes("period", ctx.defined.get("period", ()), "period")[0]
    iri = kg(f"intervention/{code}")
    ctx.sink.add(iri, BCLM.enteredBCLMTreatmentIn, kg(f"period/{period}"))
    ctx.located(item, iri)


def load_milestone(ctx: Context, item: Item) -> None:
    item.check({"id", "year", "place", "interventions", "label", "description", "stated_in"},
               {"reference", "study", "designs", "phase"})
    iri = kg(f"milestone/{item.slug('id')}")
    sink = ctx.sink
    ctx.emit_common(item, iri, BCLM.HistoricalMilestone)
    ctx.comment(iri, *item.lang("description"))
    sink.integer(iri, BCLM.year, item.integer("year"))
    sink.add(iri, BCLM.atPlace, kg(f"place/{item.codes('place', ctx.places, 'place')[0]}"))
    for code in item.codes("interventions", ctx.interventions, "intervention"):
        sink.add(iri, BCLM.concernsIntervention, kg(f"intervention/{code}"))
    ctx.reference(item, iri, DCTERMS.source)
    if item.has("study"):
        study = item.text("study")
        if not SUBJECT.match(study):
            item.fail(f"'{study}' is not a study/... or trial/... identifier", "study")
        sink.add(iri, BCLM.aboutStudy, kg(study))
    ctx.designs(item, iri)


# -- files ---------------------------------------------------------------------------------------
Loader = Callable[[Context, Item], None]

SECTIONS: dict[Path, list[tuple[str, Loader]]] = {
    EVIDENCE: [
        ("schemes", lambda c, i: load_design(c, i, "scheme", SKOS.ConceptScheme)),
        ("designs", lambda c, i: load_design(c, i, "design", BCLM.StudyDesign)),
        ("phases", lambda c, i: load_design(c, i, "phase", BCLM.TrialPhase)),
        ("study_types", lambda c, i: load_design(c, i, "study-type", BCLM.StudyType)),
        ("registries", lambda c, i: load_design(c, i, "registry", BCLM.Registry)),
        ("drugs", load_drug),
        ("studies", load_study),
        ("results", load_result),
        ("statements", load_statement),
        ("study_designs", load_study_design),
        ("meta_analyses", load_meta_analysis),
        ("groups", load_group),
        ("trials", load_trial),
    ],
    HISTORY: [
        ("periods", load_period),
        ("introduced", load_introduced),
        ("milestones", load_milestone),
    ],
}


def load(sink: Sink) -> None:
    """Read the narrative YAML files into the sink (evidence first: history refers to it)."""
    data_dir = sink.data_dir
    ctx = Context(sink, vocabulary_ids(data_dir, "interventions"),
                  vocabulary_ids(data_dir, "places"))
    for relative, sections in SECTIONS.items():
        path = data_dir / relative
        doc = read_yaml(path)
        top = Item(path, 1, doc).check(set(), {name for name, _ in sections})
        for name, loader in sections:
            for item in top.items(name):
                loader(ctx, item)
