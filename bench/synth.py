"""Synthetic evidence graphs shaped like the real one, at any number of studies.

Every synthetic study is a copy of a real one from the review's tables (a published study or a
registered trial, with its arms, interventions, outcomes, factor mentions and provenance),
given new IRIs, its own table row in a synthetic review (one per 50 studies), its own cited
work with a reference-list entry and a DOI under the test prefix 10.5555, and values drawn from
the real data: the year, the lead country and the arms' sample sizes (the study's total and
its printed cell follow). Everything is written as N-Quads line by line, so memory does not
grow with the number of studies; the same seed gives the same file, byte for byte.

The real release's asserted and provenance graphs come first, so the interventions, factors,
places and vocabularies are the real ones.

    python -m bench.synth --studies 1000 --out build/synth-1000.nq [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

KG = "https://w3id.org/bclm-kg/"
BCLM = KG + "ontology/"
REVIEW = KG + "review/jiang-2024"
ASSERTED = f"<{KG}graph/asserted>"
PROVENANCE = f"<{KG}graph/provenance>"
INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"
STUDIES_PER_REVIEW = 50
DOI_PREFIX = "10.5555/bclm-synth"  # the DOI prefix reserved for tests and examples
DROPPED = (f"<{BCLM}curationNote>", f"<{BCLM}memberOfGroup>")  # notes on the real records


def _p(name: str) -> str:
    return f"<{BCLM}{name}>"


@dataclass
class Template:
    """One real study: its lines (graph, text) with its own IRIs still in them."""

    iri: str
    lines: list[tuple[str, str]]
    row: str
    reference: str | None
    arms: list[str] = field(default_factory=list)


@dataclass
class Source:
    """What the generator copies and samples from: the real release."""

    base: list[str]  # N-Quads lines of the asserted and provenance graphs
    templates: list[Template]
    years: list[int]
    countries: list[str]
    arm_sizes: list[int]
    subjects: dict[str, list[tuple[str, str]]]  # every subject's lines, for rows/references


def _quads(trig: Path) -> Iterator[ox.Quad]:
    wanted = {ASSERTED, PROVENANCE}
    for quad in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG):
        if str(quad.graph_name) in wanted:
            yield quad


def read_source(trig: Path) -> Source:
    """Index the real release (its TriG file) for copying."""
    subjects: dict[str, list[tuple[str, str]]] = {}
    base: list[str] = []
    for quad in _quads(trig):
        graph, s = str(quad.graph_name), str(quad.subject)
        text = f"{s} {quad.predicate} {quad.object}"
        subjects.setdefault(s, []).append((graph, text))
        base.append(f"{text} {graph} .\n")
    base.sort()

    def objects(s: str, p: str) -> list[str]:
        return [t.split(" ", 2)[2] for _g, t in subjects.get(s, ()) if t.split(" ", 2)[1] == p]

    templates: list[Template] = []
    years: list[int] = []
    countries: list[str] = []
    arm_sizes: list[int] = []
    type_ = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    for s in sorted(subjects):
        rows = [o for o in objects(s, _p("statedIn")) if "/table-" in o]
        kinds = set(objects(s, type_))
        if not rows or not kinds & {_p("PublishedStudy"), _p("RegisteredTrial")}:
            continue
        iri = s[1:-1]
        lines = [(g, t) for node, node_lines in subjects.items()
                 if node == s or node.startswith(f"<{iri}/") for g, t in node_lines]
        lines = [(g, t) for g, t in lines if t.split(" ", 2)[1] not in DROPPED]
        references = objects(s, _p("reportedIn"))
        arms = objects(s, _p("hasArm"))
        templates.append(Template(iri, sorted(lines), rows[0],
                                  references[0] if references else None, arms))
        years += [int(_number(o)) for o in objects(s, _p("year"))]
        countries += objects(s, _p("leadCountry"))
        for arm in arms:
            arm_sizes += [int(_number(o)) for o in objects(arm, _p("sampleSize"))]
    return Source(base, templates, sorted(years), sorted(countries), sorted(arm_sizes), subjects)


def _number(literal: str) -> str:
    return literal.split('"')[1]


def _int(value: int) -> str:
    return f'"{value}"^^{INTEGER}'


class Writer:
    """Writes N-Quads and counts them."""

    def __init__(self, out) -> None:
        self.out = out
        self.count = 0

    def line(self, text: str, graph: str) -> None:
        self.out.write(f"{text} {graph} .\n")
        self.count += 1


def _review(writer: Writer, source: Source, number: int) -> str:
    """A synthetic review (a copy of the real one's description, without its references)."""
    iri = f"{KG}review/synth-{number}"
    doi = f"{DOI_PREFIX}.review.{number}"
    for graph, text in source.subjects[f"<{REVIEW}>"]:
        s, p, o = text.split(" ", 2)
        if p in (f"<{'http://purl.org/dc/terms/'}references>", *DROPPED):
            continue
        if p == "<http://purl.org/ontology/bibo/doi>":
            o = f'"{doi}"'
        elif p == "<https://schema.org/sameAs>":
            o = f"<https://doi.org/{doi}>"
        writer.line(f"<{iri}> {p} {o}", graph)
    return iri


def _copy(writer: Writer, lines: list[tuple[str, str]], renames: list[tuple[str, str]],
          values: dict[tuple[str, str], str]) -> None:
    for graph, text in lines:
        s, p, o = text.split(" ", 2)
        o = values.get((s, p), o)
        text = f"{s} {p} {o}"
        for old, new in renames:
            text = text.replace(old, new)
        writer.line(text, graph)


def _study(writer: Writer, source: Source, rng: random.Random, index: int, review: str) -> None:
    template = rng.choice(source.templates)
    row_number = index % STUDIES_PER_REVIEW + 1
    table = re.search(r"/table-(\d+)/", template.row).group(1)  # type: ignore[union-attr]
    new_row = f"{review}/table-{table}/row-{row_number}"
    if "/trial/" in template.iri:
        old_id = template.iri.rsplit("/", 1)[1]
        new_id = re.sub(r"\d+$", lambda m: f"9{index:0{len(m.group()) - 1}d}", old_id)
        renames = [(old_id, new_id)]
    else:
        new_iri = f"{KG}study/synth-{index}"
        renames = [(f"<{template.iri}>", f"<{new_iri}>"), (f"<{template.iri}/", f"<{new_iri}/")]
    renames += [(template.row, f"<{new_row}>"), ("_:", f"_:s{index}x")]
    if template.reference:
        renames.append((template.reference, _reference_iri(index)))

    study = f"<{template.iri}>"
    values: dict[tuple[str, str], str] = {}
    if any(t.startswith(f"{study} {_p('year')} ") for _g, t in template.lines):
        values[(study, _p("year"))] = _int(rng.choice(source.years))
    values[(study, _p("leadCountry"))] = rng.choice(source.countries)
    sizes = [next((t for _g, t in template.lines if t.startswith(f"{arm} {_p('sampleSize')} ")),
                  None) for arm in template.arms]
    total = next((t for _g, t in template.lines if t.startswith(f"{study} {_p('sampleSize')} ")),
                 None)
    if template.arms and all(sizes) and total:
        drawn = [rng.choice(source.arm_sizes) for _ in template.arms]
        for arm, size in zip(template.arms, drawn, strict=True):
            values[(arm, _p("sampleSize"))] = _int(size)
        values[(study, _p("sampleSize"))] = _int(sum(drawn))
        values[(study, _p("sampleSizeText"))] = '"' + " vs. ".join(map(str, drawn)) + '"'
    _copy(writer, template.lines, renames, values)

    for graph, text in source.subjects[template.row]:
        s, p, o = text.split(" ", 2)
        if p == _p("rowNumber"):
            o = _int(row_number)
        elif p == _p("inPublication"):
            o = f"<{review}>"
        writer.line(f"<{new_row}> {p} {o}", graph)
    if template.reference:
        _reference(writer, source, template.reference, index, review)


def _reference_iri(index: int) -> str:
    return f"<{KG}reference/{1000 + index}>"


def _reference(writer: Writer, source: Source, old: str, index: int, review: str) -> None:
    number = 1000 + index
    new = _reference_iri(index)
    entry = f"<{review}/reference-list/entry-{number}>"
    doi = f"{DOI_PREFIX}.{index}"
    old_entry = None
    for graph, text in source.subjects[old]:
        s, p, o = text.split(" ", 2)
        if p in DROPPED:
            continue
        if p == _p("referenceNumber"):
            o = _int(number)
        elif p == "<http://purl.org/ontology/bibo/doi>":
            o = f'"{doi}"'
        elif p == "<https://schema.org/sameAs>" and o.startswith("<https://doi.org/"):
            o = f"<https://doi.org/{doi}>"
        elif "/reference-list/entry-" in o:
            old_entry, o = o, entry
        writer.line(f"{new} {p} {o}", graph)
    writer.line(f"<{review}> <http://purl.org/dc/terms/references> {new}", ASSERTED)
    for graph, text in source.subjects.get(old_entry or "", ()):
        s, p, o = text.split(" ", 2)
        if p == _p("entryNumber"):
            o = _int(number)
        elif p == _p("inPublication"):
            o = f"<{review}>"
        writer.line(f"{entry} {p} {o}", graph)


def generate(source: Source, studies: int, out: Path, seed: int = 7) -> int:
    """Write the real graph plus ``studies`` synthetic studies to ``out`` (N-Quads); return
    the number of quads written."""
    rng = random.Random(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as handle:
        writer = Writer(handle)
        for line in source.base:
            handle.write(line)
            writer.count += 1
        review = ""
        for index in range(studies):
            if index % STUDIES_PER_REVIEW == 0:
                review = _review(writer, source, index // STUDIES_PER_REVIEW)
            _study(writer, source, rng, index, review)
    return writer.count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--studies", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--release", type=Path, default=Path("build"),
                        help="the real release to copy from (its bclm.trig)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    count = generate(read_source(args.release / "bclm.trig"), args.studies, args.out, args.seed)
    print(f"{args.out}: {count} quads ({args.studies} synthetic studies)")


if __name__ == "__main__":
    main()
