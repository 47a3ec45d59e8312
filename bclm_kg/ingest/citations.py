"""In-text citation marks of the review and the named queries that data points to.

A citation mark is one bracketed group of reference numbers as printed, such as ``[13]``,
``[6-7]`` or ``[29-30, 34-35]``: the review prints each as one superscript. A range or a list
inside the brackets is still one mark; it cites every number it covers. The running text has 57
marks and Tables 1 and 2 have 46 (one per row of a published study): 103 in all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ..namespaces import BCLM, CITO, kg
from .sink import Sink

MARK = re.compile(r"\[(\d+(?:\s*[-–]\s*\d+)?(?:\s*,\s*\d+(?:\s*[-–]\s*\d+)?)*)\]")
FUNCTIONS = frozenset({
    "citesAsEvidence", "citesForInformation", "citesAsDataSource", "citesAsAuthority",
    "citesAsRelated", "citesAsRecommendedReading", "obtainsBackgroundFrom", "discusses",
})
QUERY_NAME = re.compile(r"^[a-z0-9_]+(?:/[a-z0-9_-]+)*$")


@dataclass(frozen=True)
class Mark:
    """One printed citation mark and the reference numbers it covers, in printed order."""

    printed: str
    numbers: tuple[int, ...]


def marks_in(text: str) -> list[Mark]:
    """The citation marks of ``text`` in reading order (superscript markup already removed)."""
    return [Mark(m.group(0), _expand(m.group(1))) for m in MARK.finditer(text)]


def _expand(inner: str) -> tuple[int, ...]:
    numbers: list[int] = []
    for part in inner.split(","):
        low, _, high = part.replace("–", "-").partition("-")
        first, last = int(low), int(high or low)
        if last < first:
            raise ValueError(f"reference range '{part.strip()}' runs backwards")
        numbers.extend(range(first, last + 1))
    return tuple(numbers)


def emit_mark(sink: Sink, iri: URIRef, mark: Mark, citing: URIRef, location: URIRef,
              functions: dict[int, str], index: int) -> None:
    """One ``bclm:CitationMark`` (a reified ``cito:Citation``) per printed mark, plus a direct
    CiTO triple from the citing claim or row to each reference it cites."""
    sink.add(iri, RDF.type, BCLM.CitationMark)
    sink.add(iri, BCLM.printedMark, Literal(mark.printed))
    sink.integer(iri, BCLM.markIndex, index)
    sink.add(iri, CITO.hasCitingEntity, citing)
    sink.stated_in(iri, location)
    sink.add(iri, RDFS.label, Literal(f"citation mark {mark.printed}", lang="en"))
    for number in mark.numbers:
        if not sink.structure.has_reference(number):
            raise ValueError(f"{mark.printed} cites {number}, which is not an entry of the "
                             f"reference list (1-{sink.structure.references})")
        work = kg(f"reference/{number}")
        function = CITO[functions[number]]
        sink.add(iri, CITO.hasCitedEntity, work)
        sink.add(iri, CITO.hasCitationCharacterization, function)
        sink.add(citing, function, work)


def named_query(sink: Sink, name: str) -> URIRef:
    """The node of a named query, ``bclm_kg/queries/{name}.rq``; ValueError if no such file."""
    if not QUERY_NAME.match(name):
        raise ValueError(f"'{name}' is not a query name (a path under bclm_kg/queries/)")
    file = resources.files("bclm_kg.queries").joinpath(f"{name}.rq")
    if not file.is_file():
        raise ValueError(f"no named query '{name}' (bclm_kg/queries/{name}.rq)")
    iri = kg(f"named-query/{name}")
    title = next((line.lstrip("#").strip() for line in file.read_text(encoding="utf-8")
                  .splitlines() if line.startswith("#")), name)
    sink.add(iri, RDF.type, BCLM.NamedQuery)
    sink.add(iri, RDFS.label, Literal(title, lang="en"))
    sink.add(iri, BCLM.queryFile, Literal(f"bclm_kg/queries/{name}.rq"))
    return iri
