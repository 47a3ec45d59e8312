"""What a section loader works with: the sink and the identifiers an item may refer to."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import URIRef

from ...namespaces import BCLM, kg
from ..sink import Sink
from ..yaml_source import Item

# a node path a group member or a milestone's study may name
SUBJECT = re.compile(r"^(study/[a-z0-9]+(-[a-z0-9]+)*|trial/(NCT\d{8}|ChiCTR\d+))$")


@dataclass
class Context:
    """The sink plus the ids of vocabularies and of what earlier sections defined."""

    sink: Sink
    interventions: set[str]
    places: set[str]
    defined: dict[str, set[str]] = field(default_factory=dict)

    def known(self, kind: str) -> set[str]:
        """Ids an earlier section defined for ``kind`` (design, phase, registry, drug, period)."""
        return self.defined.get(kind, set())

    def define(self, kind: str, ident: str) -> None:
        self.defined.setdefault(kind, set()).add(ident)

    def designs(self, item: Item, iri: URIRef) -> None:
        """``bclm:hasDesign``, ``bclm:hasStudyType`` and ``bclm:trialPhase`` for the codes under
        ``designs``, ``study_types`` and ``phase``."""
        for key, kind, prop in (("designs", "design", BCLM.hasDesign),
                                ("study_types", "study-type", BCLM.hasStudyType),
                                ("phase", "phase", BCLM.trialPhase)):
            if item.has(key):
                for code in item.codes(key, self.known(kind), kind):
                    self.sink.add(iri, prop, kg(f"{kind}/{code}"))

    def subject(self, item: Item, text: str, key: str) -> URIRef:
        """A ``study/...`` or ``trial/...`` path named under ``key``."""
        if not isinstance(text, str) or not SUBJECT.match(text):
            item.fail(f"'{text}' is not a study/... or trial/... identifier", key)
        return kg(text)


Loader = Callable[[Context, Item], None]
