"""The review's narrative evidence: which loader (``sections/``) reads each section of
``data/narrative/evidence.yaml`` and ``history.yaml``, in order."""

from __future__ import annotations

from pathlib import Path

from rdflib.namespace import SKOS

from ..namespaces import BCLM
from .sections import groups, history, meta_analyses, results, statements, studies, terms, trials
from .sections.context import Context, Loader
from .sink import Sink
from .vocab import vocabulary_ids
from .yaml_source import Item

EVIDENCE = Path("narrative/evidence.yaml")
HISTORY = Path("narrative/history.yaml")

# Earlier sections define what later ones refer to (schemes, designs, phases, study types,
# registries, drugs, periods).
SECTIONS: dict[Path, list[tuple[str, Loader]]] = {
    EVIDENCE: [
        ("schemes", terms.term_loader("scheme", SKOS.ConceptScheme)),
        ("designs", terms.term_loader("design", BCLM.StudyDesign)),
        ("phases", terms.term_loader("phase", BCLM.TrialPhase)),
        ("study_types", terms.term_loader("study-type", BCLM.StudyType)),
        ("registries", terms.term_loader("registry", BCLM.Registry)),
        ("drugs", terms.load_drug),
        ("studies", studies.load_study),
        ("results", results.load_result),
        ("statements", statements.load_statement),
        ("study_designs", studies.load_study_design),
        ("meta_analyses", meta_analyses.load_meta_analysis),
        ("groups", groups.load_group),
        ("trials", trials.load_trial),
    ],
    HISTORY: [
        ("periods", history.load_period),
        ("introduced", history.load_introduced),
        ("milestones", history.load_milestone),
    ],
}


def load(sink: Sink) -> None:
    """Read the narrative YAML files into the sink (evidence first: history refers to it)."""
    data_dir = sink.data_dir
    ctx = Context(sink, vocabulary_ids(data_dir, "interventions"),
                  vocabulary_ids(data_dir, "places"))
    for relative, sections in SECTIONS.items():
        top = Item.read(data_dir / relative, set(), {name for name, _ in sections})
        for name, loader in sections:
            for item in top.items(name):
                loader(ctx, item)
