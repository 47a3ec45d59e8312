"""The facets of the search, one declaration each.

A facet is a parameter of ``/api/studies``, ``/api/arms``, ``/api/trials`` and ``/evidence``,
and a fragment ``bclm_kg/queries/search/facet-{fragment}.rq`` that binds the facet's variable
from ``?study`` and ``?arm``. Term facets also name the query listing their accepted values
(``vocab-{name}.rq``); range facets declare their two bound parameters. Adding a facet is one
entry here plus its ``.rq`` files.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TermFacet:
    """Values are terms of the graph (resolved by label, code, slug, IRI or CURIE); a repeated
    parameter is OR."""

    name: str
    var: str  # the fragment's variable holding the value (counted per value)
    doc: str
    shows: tuple[str, ...] = ()  # further variables reported with each item
    needs: str | None = None  # a facet whose pattern this one filters on
    fragment: str | None = None  # default: the name

    @property
    def fragment_name(self) -> str:
        return f"facet-{self.fragment or self.name}"

    @property
    def vocabulary(self) -> str:
        return f"vocab-{self.name}"


@dataclass(frozen=True)
class RangeFacet:
    """A number with inclusive lower and upper bounds, each its own parameter."""

    name: str
    var: str
    low: str  # parameter (and bound variable) of the lower bound
    high: str
    datatype: str  # "integer" | "decimal"
    unit: str
    doc: str
    fragment: str | None = None

    @property
    def fragment_name(self) -> str:
        return f"facet-{self.fragment or self.name}"

    @property
    def params(self) -> tuple[str, str]:
        return (self.low, self.high)


@dataclass(frozen=True)
class TextFacet:
    """Free text, matched case-insensitively as a substring; a repeated parameter is OR."""

    name: str
    var: str
    doc: str

    @property
    def fragment_name(self) -> str:
        return f"facet-{self.name}"


Facet = TermFacet | RangeFacet | TextFacet

FACETS: tuple[Facet, ...] = (
    TermFacet("intervention", "intervention",
              "An intervention of the arm: code (HR, RFA), label in English or Chinese "
              "(hepatic resection, 肝切除), class (ablation: every ablation subclass), or "
              "CURIE/IRI of the ontology or of a mapped external term (NCIT:C15249).",
              shows=("intervention", "intervention_link", "intervention_value")),
    TermFacet("certainty", "intervention_link",
              "definite: every patient of the arm received the intervention; possible: it is "
              "one option of a printed choice (A/B, A 和/或 B). Default: both.",
              needs="intervention"),
    TermFacet("region", "region",
              "A region of the lead country (Europe, 欧洲, Asia, ...), by the graph's region "
              "memberships; the basis of the membership is returned with each item.",
              shows=("region", "region_country", "region_basis")),
    TermFacet("country", "country",
              "Country of the lead institution: ISO code, English or Chinese name.",
              shows=("country", "country_link")),
    TermFacet("design", "design", "Study design: prospective, retrospective, multicentre, ..."),
    TermFacet("status", "status", "completed (or published) or ongoing."),
    TermFacet("grouping", "grouping",
              "The review's grouping: international (Table 1) or domestic (Table 2)."),
    TermFacet("type", "type", "Kind of study: trial (registered) or published."),
    TermFacet("factor", "factor",
              "A favourable prognostic factor the study reports, by slug or label (en/zh)."),
    RangeFacet("year", "year", "year_min", "year_max", "integer", "year",
               "Completion/publication year as printed (ongoing trials have none)."),
    RangeFacet("size", "size", "min_size", "max_size", "integer", "patients",
               "Sample size of the study (sum of its arms), or a trial's planned size."),
    RangeFacet("os3", "os3", "os3_min", "os3_max", "decimal", "%",
               "3-year overall survival of the arm, in percent."),
    RangeFacet("os5", "os5", "os5_min", "os5_max", "decimal", "%",
               "5-year overall survival of the arm, in percent."),
    RangeFacet("median_os", "median_os", "median_os_min", "median_os_max", "decimal", "months",
               "Median overall survival of the arm, in months.", fragment="median-os"),
    TextFacet("q", "q_text",
              "Free text in labels (en/zh), first authors, the reference's authors and title, "
              "and registry ids."),
)

BY_NAME: dict[str, Facet] = {f.name: f for f in FACETS}
TERM_FACETS: tuple[TermFacet, ...] = tuple(f for f in FACETS if isinstance(f, TermFacet))
RANGE_FACETS: tuple[RangeFacet, ...] = tuple(f for f in FACETS if isinstance(f, RangeFacet))
RANGE_PARAMS: dict[str, RangeFacet] = {p: f for f in RANGE_FACETS for p in f.params}

KINDS = ("studies", "arms", "trials")
