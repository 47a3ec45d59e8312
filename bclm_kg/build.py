"""The build: data → RDF → reasoning → SHACL → release files (``bclm-kg build``)."""

from __future__ import annotations

import fcntl
import sys
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from . import __version__
from .errors import SourceError, ValidationError
from .linking.publish import published_files
from .namespaces import (
    BCLM,
    GRAPH_ASSERTED,
    GRAPH_EXTERNAL,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    GRAPH_PROVENANCE,
)
from .progress import Reporter, SilentReporter
from .project import Project
from .release import ONTOLOGY_DOCS_FILE, Release, write_release


@dataclass
class Summary:
    out_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
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
        "external terms": len(set(graphs[GRAPH_EXTERNAL].subjects())),
        "studies": len(studies - trials - metas),
        "arms": len(_instances(facts, BCLM.Arm)),
        "trials": len(trials),
        "meta-analyses": len(metas),
        "references": len(_instances(facts, BCLM.CitedWork)),
        "prognostic factors": len(_instances(facts, BCLM.PrognosticFactor)),
        "curation notes": len(_instances(facts, BCLM.CurationNote)),
        "claims": len(_instances(facts, BCLM.ReviewClaim)),
        "citation marks": len(_instances(facts, BCLM.CitationMark)),
        "claim checks": len(_instances(facts, BCLM.ClaimCheck)),
        "violations": violations,
        "warnings": warnings,
    }


@dataclass
class Built:
    """The four named graphs of a build, its counts and its inputs' checksums."""

    graphs: dict[URIRef, Graph]
    counts: dict[str, int]
    sources: dict[str, str]


def build_graphs(data_dir: Path, report: Reporter | None = None,
                 deferred: list[SourceError] | None = None) -> Built:
    """Everything but writing: the named graphs, the counts and the inputs' checksums.

    Raises SourceError (bad input), InconsistencyError (reasoning) or ValidationError (SHACL).
    With a ``deferred`` list, values out of a range the shapes also check (an OS rate above
    100%) are recorded there instead of raised, so that SHACL names the node too (the
    curation gate's report); the caller must refuse a build that deferred anything.
    """
    from .checks import record, run_checks
    from .linking.external import external_graph
    from .linking.mappings import check_mappings
    from .ontology import load_ontology
    from .pipeline import build_provenance, checksums, ingest, input_files
    from .quality import INFO, WARN, check_graphs, require_clean
    from .reasoning import reason
    from .shapes import validate_graph

    report = report or SilentReporter()
    data_dir = Path(data_dir).resolve()
    if not data_dir.is_dir():
        raise SourceError(data_dir, None, "no such data directory")
    with report.stage("load ontology"):
        ontology = load_ontology()
        check_mappings(ontology)
    with report.stage("read data/ into RDF"):
        sink = ingest(data_dir, deferred)
        report.info(f"{len(sink.asserted)} asserted triples")
    with report.stage("reason (HermiT classifies, rules derive)"):
        result = reason(ontology, sink.asserted)
        report.info(f"consistent; {len(result.inferred)} inferred triples")
    with report.stage("record provenance"):
        sources = checksums(input_files(data_dir))
        release = build_provenance(sink, sources)
    with report.stage("check claims against the tables"):
        results = run_checks((ontology, sink.asserted, result.inferred), sink.asserted)
        record(results, sink.provenance, URIRef(f"{release}/build"))
        short = sum(r.status != "supported" for r in results)
        report.info(f"{len(results)} checks run; {short} claims not fully supported")
    with report.stage("collect external terms"):
        external = external_graph([ontology, sink.asserted], data_dir)
        report.info(f"{len(set(external.subjects()))} external terms labelled")
    graphs = {
        GRAPH_ONTOLOGY: ontology,
        GRAPH_ASSERTED: sink.asserted,
        GRAPH_INFERRED: result.inferred,
        GRAPH_PROVENANCE: sink.provenance,
        GRAPH_EXTERNAL: external,
    }
    with report.stage("validate with SHACL"):
        data = Graph()
        for name in (GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_PROVENANCE):
            for triple in graphs[name]:
                data.add(triple)
        validation = validate_graph(data, ontology)
        if not validation.conforms:
            raise ValidationError(validation.text(), len(validation.violations),
                                  validation.violations)
        report.info(f"conforms ({len(validation.warnings)} warnings)")
    with report.stage("quality report"):
        quality = check_graphs(graphs.values())
        require_clean(quality)
        report.info(f"no errors ({quality.count(WARN)} warnings, {quality.count(INFO)} notes)")
    counts = count(graphs, len(validation.violations), len(validation.warnings))
    return Built(graphs, counts, sources)


def build_release(out_dir: Path, data_dir: Path, report: Reporter | None = None) -> Summary:
    """Build and write the release; on any error the previous release is left untouched."""
    report = report or SilentReporter()
    built = build_graphs(data_dir, report)
    written = write_built(out_dir, built, __version__, report)
    return Summary(written, built.counts, built.sources, dict(getattr(report, "timings", {})))


def write_built(out_dir: Path, built: Built, version: str,
                report: Reporter | None = None) -> Path:
    """Write the release files of a build, with ``version`` in its manifest."""
    from . import ontology_docs

    report = report or SilentReporter()
    with report.stage("document the ontology"):
        docs = ontology_docs.from_graphs(built.graphs[GRAPH_ONTOLOGY], built.graphs[GRAPH_ASSERTED])
        report.info(f"{len(docs.terms)} terms")
    with report.stage(f"write release to {out_dir}"):
        return write_release(out_dir, built.graphs, built.counts, version, built.sources,
                             {**published_files(built.graphs[GRAPH_ONTOLOGY]),
                              ONTOLOGY_DOCS_FILE: ontology_docs.to_json(docs)})


def ensure_release(release_dir: Path, data_dir: Path, report: Reporter | None = None) -> Release:
    """The release in ``release_dir``, built from ``data_dir`` first if there is none."""
    release = Release(Path(release_dir))
    if not release.exists():
        summary = build_release(release.path, data_dir, report=report)
        if report is not None:
            report.summary(summary)
    return release


def prepare_release(project: Project) -> Path:
    """The project's release directory, built from the project's data first (with progress on
    standard error) unless a release is there. One builder at a time: a second process waits
    for the first and then finds the release built."""
    release = project.release
    if release.exists():
        return release.path
    release.path.parent.mkdir(parents=True, exist_ok=True)
    with open(release.path.parent / f".{release.path.name}.build-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not release.exists():
            from .progress import ConsoleReporter

            print(f"No release in {release.path}: building it from {project.data_dir} first…",
                  file=sys.stderr)
            ensure_release(release.path, project.data_dir, report=ConsoleReporter())
    return release.path
