"""``trials`` of ``data/narrative/evidence.yaml``: what the text adds to the registered trials
of the tables (registry, phase, sponsor, population, years, agents per arm), and what their
ClinicalTrials.gov records state (the ``registry_*`` keys, see :mod:`.registry_snapshot`)."""

from __future__ import annotations

import re

from rdflib import Literal
from rdflib.namespace import RDF

from ...namespaces import BCLM, CTGOV, kg
from ..yaml_source import Item
from .context import Context
from .registry_snapshot import KEYS as REGISTRY_KEYS
from .registry_snapshot import load_snapshot

TRIAL_ID = re.compile(r"^(NCT\d{8}|ChiCTR\d+)$")
# A trial's `study_type` also gives it the class of registered study it is.
TRIAL_TYPES = {"interventional": BCLM.InterventionalRegisteredTrial,
               "observational": BCLM.ObservationalRegisteredStudy}


def load_trial(ctx: Context, item: Item) -> None:
    """Facts about ``trial/{id}`` (the trial itself comes from Table 1 or 2)."""
    item.check({"id", "registry", "stated_in"},
               {"designs", "phase", "study_type", "sponsor", "target_population", "start_year",
                "expected_results_year", "agents", "comment", *REGISTRY_KEYS})
    tid = item.slug("id", TRIAL_ID)
    iri = kg(f"trial/{tid}")
    sink = ctx.sink
    registry = item.code("registry", ctx.known("registry"), "registry")
    sink.add(iri, BCLM.registry, kg(f"registry/{registry}"))
    sink.add(iri, BCLM.registryId, Literal(tid))
    if registry == "clinicaltrials-gov":
        sink.add(iri, BCLM.registryRecord, CTGOV[tid])
    if item.has("study_type"):
        kind = item.code("study_type", TRIAL_TYPES, "study type")
        sink.add(iri, RDF.type, TRIAL_TYPES[kind])
        sink.add(iri, BCLM.hasStudyType, kg(f"study-type/{kind}"))
    ctx.designs(item, iri)
    sink.lang_text(item, "sponsor", iri, BCLM.sponsor)
    sink.lang_text(item, "target_population", iri, BCLM.targetPopulation)
    for key, prop in (("start_year", BCLM.startYear),
                      ("expected_results_year", BCLM.expectedResultsYear)):
        if item.has(key):
            sink.integer(iri, prop, item.integer(key))
    for agent in item.items("agents"):
        agent.check({"arm", "drug"})
        drug = agent.code("drug", ctx.known("drug"), "drug")
        sink.add(kg(f"trial/{tid}/arm/{agent.slug('arm')}"), BCLM.usesAgent, kg(f"drug/{drug}"))
    sink.describe(item, iri)
    load_snapshot(sink, item, tid, registry)
