"""A selection: the facet values of one search, resolved to terms of the graph, parsed from
request parameters (repeated parameter = OR within a facet; facets are ANDed)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .errors import SearchError, near
from .facets import BY_NAME, RANGE_FACETS, RANGE_PARAMS, RangeFacet, TermFacet, TextFacet
from .vocabulary import Term, Vocabulary

PAGING = ("limit", "offset", "sort")
DEFAULT_LIMIT = 50
MAX_LIMIT = 500


@dataclass(frozen=True)
class Chosen:
    """A value as given, and the terms it names."""

    given: str
    terms: tuple[Term, ...]

    def as_dict(self) -> dict:
        return {"given": self.given, "terms": [t.as_dict() for t in self.terms]}


@dataclass(frozen=True)
class Selection:
    terms: tuple[tuple[str, tuple[Chosen, ...]], ...] = ()
    ranges: tuple[tuple[str, int | float], ...] = ()
    text: tuple[str, ...] = ()

    def term_map(self) -> dict[str, tuple[Chosen, ...]]:
        return dict(self.terms)

    def range_map(self) -> dict[str, int | float]:
        return dict(self.ranges)

    def without(self, facet: str) -> Selection:
        return Selection(tuple(t for t in self.terms if t[0] != facet), self.ranges, self.text)

    def with_terms(self, facet: str, chosen: tuple[Chosen, ...]) -> Selection:
        return Selection(self.without(facet).terms + ((facet, chosen),), self.ranges, self.text)

    def with_range(self, param: str, bound: int | float) -> Selection:
        ranges = tuple(r for r in self.ranges if r[0] != param) + ((param, bound),)
        return Selection(self.terms, ranges, self.text)

    def active(self) -> set[str]:
        """Names of the facets this selection constrains."""
        names = {name for name, _ in self.terms}
        names.update(RANGE_PARAMS[p].name for p, _ in self.ranges)
        if self.text:
            names.add("q")
        return names

    def params(self) -> list[tuple[str, str]]:
        """The selection as request parameters (canonical values), in facet order."""
        out: list[tuple[str, str]] = []
        terms = self.term_map()
        ranges = self.range_map()
        for facet in BY_NAME.values():
            if isinstance(facet, TermFacet):
                out += [(facet.name, c.given) for c in terms.get(facet.name, ())]
            elif isinstance(facet, RangeFacet):
                out += [(p, _number_text(ranges[p])) for p in facet.params if p in ranges]
            elif isinstance(facet, TextFacet):
                out += [(facet.name, t) for t in self.text]
        return out

    def as_dict(self) -> dict:
        out: dict = {name: [c.as_dict() for c in chosen] for name, chosen in self.terms}
        out.update(self.ranges)
        if self.text:
            out["q"] = list(self.text)
        return out


@dataclass(frozen=True)
class Paging:
    sort: str = "paper"
    limit: int = DEFAULT_LIMIT
    offset: int = 0


@dataclass
class Parsed:
    selection: Selection
    paging: Paging
    extra: dict[str, list[str]] = field(default_factory=dict)


def _number_text(number: int | float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def accepted_parameters(extra: Iterable[str] = ()) -> list[str]:
    names = [f.name for f in BY_NAME.values() if not isinstance(f, RangeFacet)]
    names += [p for f in RANGE_FACETS for p in f.params]
    return names + list(PAGING) + list(extra)


def parse_number(param: str, raw: str, datatype: str) -> int | float:
    try:
        number = float(raw)
    except ValueError:
        raise SearchError(param, f"{raw!r} is not a number",
                          [f"a {datatype} such as 50"]) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise SearchError(param, f"{raw!r} is not a finite number")
    if datatype == "integer":
        if not number.is_integer():
            raise SearchError(param, f"{raw!r} is not a whole number", ["a whole number"])
        return int(number)
    return number


def parse(params: Mapping[str, Iterable[str]], vocabularies: Mapping[str, Vocabulary],
          sorts: Iterable[str], allow: Iterable[str] = ()) -> Parsed:
    """Read request parameters; anything unknown or malformed is a :class:`SearchError`."""
    allow = tuple(allow)
    terms: dict[str, list[Chosen]] = {}
    ranges: dict[str, int | float] = {}
    text: list[str] = []
    extra: dict[str, list[str]] = {}
    paging = {"sort": "paper", "limit": DEFAULT_LIMIT, "offset": 0}
    sorts = tuple(sorts)
    for name, raw_values in params.items():
        values = [v.strip() for v in raw_values if v is not None and v.strip()]
        if name in allow:
            extra[name] = values
            continue
        facet = BY_NAME.get(name)
        if isinstance(facet, TermFacet):
            for v in values:
                terms.setdefault(name, []).append(Chosen(v, tuple(vocabularies[name].resolve(v))))
        elif isinstance(facet, TextFacet):
            text += values
        elif name in RANGE_PARAMS:
            if len(values) > 1:
                raise SearchError(name, "give one bound, not several")
            if values:
                ranges[name] = parse_number(name, values[0], RANGE_PARAMS[name].datatype)
        elif name in ("limit", "offset"):
            if values:
                n = parse_number(name, values[-1], "integer")
                low = 1 if name == "limit" else 0
                if n < low or (name == "limit" and n > MAX_LIMIT):
                    raise SearchError(name, f"{n} is out of range",
                                      [f"{low}–{MAX_LIMIT}" if name == "limit" else "0 or more"])
                paging[name] = int(n)
        elif name == "sort":
            if values:
                key = values[-1]
                if key.lstrip("-") not in sorts:
                    accepted = [*sorts, *(f"-{s}" for s in sorts)]
                    raise SearchError("sort", f"unknown sort key {key!r}", accepted,
                                      near(key, accepted))
                paging["sort"] = key
        else:
            accepted = accepted_parameters(allow)
            raise SearchError(name, "unknown parameter", accepted, near(name, accepted))
    for facet in RANGE_FACETS:
        low, high = ranges.get(facet.low), ranges.get(facet.high)
        if low is not None and high is not None and low > high:
            raise SearchError(facet.low, f"{facet.low}={low} is above {facet.high}={high}")
    selection = Selection(tuple((k, tuple(v)) for k, v in terms.items()),
                          tuple(ranges.items()), tuple(text))
    return Parsed(selection, Paging(**paging), extra)
