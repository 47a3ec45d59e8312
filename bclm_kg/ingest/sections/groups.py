"""``groups`` of ``data/narrative/evidence.yaml``: sets of studies and trials the review
discusses together (e.g. by place), with an outcome it gives for the set."""

from __future__ import annotations

from ...namespaces import BCLM, kg
from ..yaml_source import Item
from .context import Context
from .outcomes import OUTCOME_KEYS, measurement, outcome_suffix


def load_group(ctx: Context, item: Item) -> None:
    """``group/{id}``; its ``members`` get ``bclm:memberOfGroup``."""
    item.check({"id", "label", "members", "comment", "stated_in"}, {"place", "outcome"})
    gid = item.slug("id")
    iri = kg(f"group/{gid}")
    sink = ctx.sink
    sink.describe(item, iri, BCLM.StudyGroup)
    for member in item.node.get("members") or []:
        sink.add(ctx.subject(item, member, "members"), BCLM.memberOfGroup, iri)
    if item.has("place"):
        sink.add(iri, BCLM.atPlace, kg(f"place/{item.code('place', ctx.places, 'place')}"))
    if item.has("outcome"):
        out = item.sub("outcome")
        out.check({"measure", "intervention"}, OUTCOME_KEYS)
        out_iri = kg(f"group/{gid}/outcome/{outcome_suffix(out)}")
        measurement(sink, out, out_iri, iri, item.lang("label"))
        code = out.code("intervention", ctx.interventions, "intervention")
        sink.add(out_iri, BCLM.forIntervention, kg(f"intervention/{code}"))
        sink.located(item, out_iri)
