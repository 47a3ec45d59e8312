"""Normalising names and words the same way for facet values and questions."""

from __future__ import annotations

import re
import unicodedata

SPACES = re.compile(r"[\s_\-‐–—]+")
PAREN = re.compile(r"\s*[(（][^)）]*[)）]\s*")


def normalise(text: str) -> str:
    """NFKC, case-folded, hyphens and underscores as spaces, runs of space collapsed."""
    return SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def variants(name: str) -> set[str]:
    """The spellings a label also answers to (documented in docs/search.md):

    - the label without a parenthesis: "国际(表1)" → "国际";
    - each part of a label with "/": "已完成/已发表" → "已完成", "已发表";
    - a Chinese label without its trailing 术 (procedure): "肝切除术" → "肝切除".
    """
    base = normalise(name)
    out = {base}
    stripped = normalise(PAREN.sub(" ", name))
    if stripped:
        out.add(stripped)
    for form in list(out):
        if "/" in form and not form.startswith("http"):
            out.update(p.strip() for p in form.split("/") if p.strip())
    for form in list(out):
        if len(form) > 2 and form.endswith("术") and is_cjk(form[-2]):
            out.add(form[:-1])
    return {v for v in out if v}


def is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"
