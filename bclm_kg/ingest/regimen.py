"""Parse a printed intervention cell such as ``HR/RFA+ST`` or ``HR 和/或 SBRT+ ST``.

Grammar (as the review's tables use it):
    regimen   := component ("+" component)*        every patient receives each component
    component := code (("/" | "和/或") code)*      one of the codes ("/": either/or;
                                                     "和/或": and/or)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

AND_OR = "和/或"
CODE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")

ChoiceKind = Literal["single", "either", "and-or"]


@dataclass(frozen=True)
class Component:
    """One '+'-separated part of a regimen."""

    kind: ChoiceKind
    codes: tuple[str, ...]
    printed: str


def split_arms(cell: str) -> list[str]:
    """'69 vs. 98' → ['69', '98']; the cell unchanged when it has no 'vs.'."""
    return [part.strip() for part in re.split(r"\s*\bvs\.\s*", cell.strip())]


def parse_regimen(text: str) -> list[Component]:
    """Components of one arm's printed regimen; ValueError names what is wrong."""
    if not text.strip():
        raise ValueError("empty intervention")
    components: list[Component] = []
    for part in text.split("+"):
        printed = part.strip()
        if not printed:
            raise ValueError(f"empty component in '{text}'")
        if AND_OR in printed:
            kind: ChoiceKind = "and-or"
            codes = [c.strip() for c in printed.split(AND_OR)]
        elif "/" in printed:
            kind = "either"
            codes = [c.strip() for c in printed.split("/")]
        else:
            kind, codes = "single", [printed]
        for code in codes:
            if not CODE.match(code):
                raise ValueError(f"'{code}' is not an intervention code (in '{text}')")
        if kind != "single" and len(set(codes)) != len(codes):
            raise ValueError(f"repeated option in '{printed}'")
        components.append(Component(kind, tuple(codes), printed))
    return components


def arm_slug(text: str) -> str:
    """A readable IRI slug for an arm: 'LITT+ TACE' → 'litt-tace', 'HR/RFA' → 'hr-or-rfa'."""
    slug = text.replace(AND_OR, "-and-or-").replace("/", "-or-").replace("+", "-")
    slug = re.sub(r"[^a-z0-9-]+", "", slug.lower())
    return re.sub(r"-{2,}", "-", slug).strip("-")
