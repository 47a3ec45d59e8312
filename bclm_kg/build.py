"""The build: data → RDF → reasoning → SHACL → release files (``bclm-kg build``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from . import __version__
from .errors import ValidationError
from .namespaces import (
    BCLM,
    GRAPH_ASSERTED,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    GRAPH_PROVENANCE,
)
from .progress import Reporter, SilentReporter
from .release import MANIFEST, write_release

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"


@dataclass
class Summary:
    out_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def _instances(graphs: list[Graph], cls: URIRef) -> set:
    found: set = set()
    for graph in graphs:
        found.update(graph.subjects(RDF.type, cls))
    return found


def count(graphs: dict[URIRef, Graph], violations: int, warnings: int) -> dict[str, int]:
    """The numbers the build prints and records in release.json."""
    facts = [graphs[GRAPH_ASSERTED], graphs[GRAPH_INFERRED]]
    studies = _instances(facts, BCLM.Study)
    trials = _instances(facts, BCLM.RegisteredTrial)
    metas = _instances(facts, BCLM.MetaAnalysis)
    return {
        "triples": sum(len(g) for g in graphs.values()),
        "ontology triples": len(graphs[GRAPH_ONTOLOGY]),
        "asserted triples": len(graphs[GRAPH_ASSERTED]),
        "inferred triples": len(graphs[GRAPH_INFERRED]),
        "provenance triples": len(graphs[GRAPH_PROVENANCE]),
        "studies": len(studies - trials - metas),
        "arms": len(_instances(facts, BCLM.Arm)),
        "trials": len(trials),
        "meta-analyses": len(metas),
        "references": len(_instances(facts, BCLM.CitedWork)),
        "prognostic factors": len(_instances(facts, BCLM.PrognosticFactor)),
        "curation notes": len(_instances(facts, BCLM.CurationNote)),
        "violations": violations,
        "warnings": warnings,
    }


def build_graphs(data_dir: Path | None = None,
                 report: Reporter | None = None) -> tuple[dict[URIRef, Graph], dict[str, int]]:
    """Everything but writing: returns the four named graphs and the counts.

    Raises SourceError (bad input), InconsistencyError (HermiT) or ValidationError (SHACL).
    """
    from .ontology import load_ontology
    from .pipeline import build_provenance, ingest, input_files
    from .quality import INFO, WARN, check_graphs, require_clean
    from .reasoning import reason
    from .shapes import validate_graph

    report = report or SilentReporter()
    data_dir = (data_dir or DATA_DIR).resolve()
    with report.stage("load ontology"):
        ontology = load_ontology()
    with report.stage("read data/ into RDF"):
        sink = ingest(data_dir)
        report.info(f"{len(sink.asserted)} asserted triples")
    with report.stage("reason with HermiT"):
        result = reason(ontology, sink.asserted)
        report.info(f"consistent; {len(result.inferred)} inferred triples")
    with report.stage("record provenance"):
        build_provenance(sink, ROOT, input_files(ROOT, data_dir))
    graphs = {
        GRAPH_ONTOLOGY: ontology,
        GRAPH_ASSERTED: sink.asserted,
        GRAPH_INFERRED: result.inferred,
        GRAPH_PROVENANCE: sink.provenance,
    }
    with report.stage("validate with SHACL"):
        data = Graph()
        for name in (GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_PROVENANCE):
            for triple in graphs[name]:
                data.add(triple)
        validation = validate_graph(data, ontology)
        if not validation.conforms:
            raise ValidationError(validation.text(), len(validation.violations))
        report.info(f"conforms ({len(validation.warnings)} warnings)")
    with report.stage("quality report"):
        quality = check_graphs(graphs.values())
        require_clean(quality)
        report.info(f"no errors ({quality.count(WARN)} warnings, {quality.count(INFO)} notes)")
    return graphs, count(graphs, len(validation.violations), len(validation.warnings))


def build_release(out_dir: Path, data_dir: Path | None = None,
                  report: Reporter | None = None) -> Summary:
    """Build and write the release; on any error the previous release is left untouched."""
    report = report or SilentReporter()
    graphs, counts = build_graphs(data_dir, report)
    with report.stage(f"write release to {out_dir}"):
        written = write_release(out_dir, graphs, counts, __version__)
    return Summary(written, counts, dict(getattr(report, "timings", {})))


def ensure_release(release_dir: Path, report: Reporter | None = None) -> Path:
    """The release directory, built first if it holds no release."""
    if not (release_dir / MANIFEST).is_file():
        summary = build_release(release_dir, report=report)
        if report is not None:
            report.summary(summary)
    return release_dir
