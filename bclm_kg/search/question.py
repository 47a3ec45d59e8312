"""Questions in English, Chinese or both → the same facets as the API, deterministically.

Words are matched against the accepted values of the term facets (labels and synonyms in both
languages, abbreviations and codes, read from the graph) and a small grammar for numbers,
comparisons and time (documented in docs/search.md). What is not understood is reported as
ignored; nothing is guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .facets import RANGE_PARAMS
from .selection import Chosen, Selection
from .text import is_cjk
from .vocabulary import PRIORITY, Vocabulary

NUM = r"(\d+(?:\.\d+)?)"
YEAR = r"((?:19|20)\d\d)"
# comparison words → (bound, strict)
OPS_EN = {
    "at least": ("min", False), "no less than": ("min", False), "not less than": ("min", False),
    ">=": ("min", False), "≥": ("min", False), "more than": ("min", True),
    "greater than": ("min", True), "higher than": ("min", True), "above": ("min", True),
    "over": ("min", True), "exceeding": ("min", True), ">": ("min", True),
    "at most": ("max", False), "no more than": ("max", False), "not more than": ("max", False),
    "<=": ("max", False), "≤": ("max", False), "less than": ("max", True),
    "fewer than": ("max", True), "lower than": ("max", True), "below": ("max", True),
    "under": ("max", True), "<": ("max", True),
}
OPS_ZH = {
    "不低于": ("min", False), "不少于": ("min", False), "至少": ("min", False),
    "超过": ("min", True), "高于": ("min", True), "大于": ("min", True), "多于": ("min", True),
    "以上": ("min", False), "不超过": ("max", False), "不高于": ("max", False),
    "至多": ("max", False), "低于": ("max", True), "小于": ("max", True), "少于": ("max", True),
    "以下": ("max", False),
}
OP_EN = "|".join(re.escape(k) for k in sorted(OPS_EN, key=len, reverse=True))
OP_ZH = "|".join(re.escape(k) for k in sorted(OPS_ZH, key=len, reverse=True))
ALL_OPS = {**OPS_EN, **OPS_ZH}
OP_ANY = f"{OP_EN}|{OP_ZH}"
YEARS = {"3": 3, "5": 5, "three": 3, "five": 5, "三": 3, "五": 5}
OS_EN = r"(?:os|overall survival|survival)(?: rate)?"
OS_ZH = r"(?:总)?(?:生存率|os|生存)"
MEDIAN_EN = r"median (?:os|overall survival|survival)"
MEDIAN_ZH = r"中位(?:总)?(?:生存期|生存时间|os|生存)"
SIZE_WORDS = r"(?:patients|participants|cases|subjects|例|名|人)"
KIND_WORDS = [
    (r"\btrials?\b|试验", "trials"),
    (r"\barms?\b|\bgroups?\b|治疗组|分组", "arms"),
    (r"\bstudies\b|\bstudy\b|\bpapers?\b|研究|文献", "studies"),
]
COUNT_WORDS = r"\bhow many\b|\bnumber of\b|\bcount\b|多少|几项|几个|几篇|数量"
COMPARE_WORDS = r"\bvs\.?|\bversus\b|\bcompared? (?:with|to)\b|\bcompare\b|对比|比较|相比"
DECIMAL_STEP = 0.01  # values are printed with at most two decimals
# unit and filler words the grammar consumes with a number
STEP = {"integer": 1, "decimal": DECIMAL_STEP}


@dataclass
class Understood:
    facet: str
    value: str
    words: str
    label: str | None = None

    def as_dict(self) -> dict:
        return {"facet": self.facet, "value": self.value, "words": self.words,
                "label": self.label}


@dataclass
class Parsed:
    question: str
    kind: str = "studies"
    intent: str = "list"  # list | count | compare
    measure: str | None = None  # compare: median_os | os3 | os5
    understood: list[Understood] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    selection: Selection = field(default_factory=Selection)
    groups: list[Chosen] = field(default_factory=list)  # compare: one group per value

    def as_dict(self) -> dict:
        return {"question": self.question, "kind": self.kind, "intent": self.intent,
                "measure": self.measure, "understood": [u.as_dict() for u in self.understood],
                "ignored": self.ignored}


class _Text:
    """The normalised question with the spans already consumed."""

    def __init__(self, question: str) -> None:
        self.raw = unicodedata.normalize("NFKC", question)
        self.low = self.raw.casefold()
        self.used = [False] * len(self.low)

    def free(self, start: int, end: int) -> bool:
        return not any(self.used[start:end])

    def take(self, start: int, end: int) -> str:
        for i in range(start, end):
            self.used[i] = True
        return self.raw[start:end].strip()

    def find(self, pattern: str):
        for m in re.finditer(pattern, self.low):
            if self.free(m.start(), m.end()):
                yield m

    def leftovers(self) -> list[str]:
        chars = [c if not u else " " for c, u in zip(self.raw, self.used, strict=True)]
        words = re.findall(r"[A-Za-z0-9%.\-]+|[\u3400-\u9fff]+", "".join(chars))
        return [w.strip(".-") for w in words if w.strip(".-")]


def _bound(facet_low: str, facet_high: str, op: str, number: float, datatype: str
           ) -> tuple[str, float]:
    side, strict = ALL_OPS[op]
    step = STEP[datatype] if strict else 0
    if side == "min":
        return facet_low, number + step
    return facet_high, number - step


class QuestionParser:
    """Parses questions with the vocabularies of the term facets."""

    def __init__(self, vocabularies: dict[str, Vocabulary],
                 names: frozenset[str] = frozenset()) -> None:
        """``names``: first authors and registry ids (case-folded), searched as free text."""
        self.vocabularies = vocabularies
        self.names = names
        self.lexicon = self._lexicon()

    def _lexicon(self) -> list[tuple[re.Pattern, str, str, str]]:
        """(pattern, normalised name, facet, term IRI), longest names first."""
        entries = set()
        for facet, vocab in self.vocabularies.items():
            if facet in ("certainty",):
                continue
            for name, iris in vocab.names.items():
                if len(name) < 2 or name.isdigit() or name.startswith("http"):
                    continue
                for iri in iris:
                    entries.add((name, facet, iri))
        out = []
        def order(entry: tuple[str, str, str]) -> tuple:
            name, facet, iri = entry
            return (-len(name), PRIORITY[self.vocabularies[facet].terms[iri].kind], entry)

        for name, facet, iri in sorted(entries, key=order):
            pattern = re.escape(name).replace(r"\ ", r"[\s\-_]+")
            if not is_cjk(name[0]):
                pattern = rf"(?<![a-z0-9]){pattern}(?:s|es)?(?![a-z0-9])"
            out.append((re.compile(pattern), name, facet, iri))
        return out

    def parse(self, question: str) -> Parsed:
        text = _Text(question)
        out = Parsed(question)
        ranges: dict[str, float] = {}
        self._grammar(text, out, ranges)
        terms = self._words(text, out)
        if re.search(COMPARE_WORDS, text.low) and len(terms.get("intervention", [])) >= 2:
            out.intent = "compare"
            out.kind = "arms"
            out.groups = terms.pop("intervention")
            out.measure = out.measure or "median_os"
        texts = self._names(text, out)
        chosen = tuple((facet, tuple(values)) for facet, values in terms.items())
        out.selection = Selection(chosen, tuple(ranges.items()), tuple(texts))
        out.ignored = text.leftovers()
        return out

    def _names(self, text: _Text, out: Parsed) -> list[str]:
        """A first author or registry id named in the question becomes free text (``q``)."""
        found = []
        for m in text.find(r"(?<![a-z0-9])[a-z][a-z\-]{2,}(?![a-z0-9])|nct\d{8}|chictr\d+"):
            if m.group(0) in self.names:
                words = text.take(m.start(), m.end())
                if words not in found:
                    found.append(words)
                    self._note(out, "q", words, words)
        return found

    def _note(self, out: Parsed, facet: str, value, words: str) -> None:
        out.understood.append(Understood(facet, str(value), words))

    def _grammar(self, text: _Text, out: Parsed, ranges: dict[str, float]) -> None:
        for m in text.find(COUNT_WORDS):
            out.intent = "count"
            self._note(out, "count", "how many", text.take(m.start(), m.end()))
        rate = (rf"\b(3|5|three|five)[ -]?(?:years?|yrs?)[ -]?{OS_EN}|(3|5|三|五) ?年 ?{OS_ZH}")
        median = rf"{MEDIAN_EN}|{MEDIAN_ZH}"
        for pattern, measure in ((rate, None), (median, "median_os")):
            for m in list(text.find(pattern)):
                name = measure or f"os{YEARS[m.group(1) or m.group(2)]}"
                words_end = m.end()
                tail = re.compile(rf" ?(?:is |was |of )?({OP_ANY}) ?{NUM} ?(?:%|months?|个月|月)?")
                t = tail.match(text.low, m.end())
                if t and text.free(m.start(), t.end()):
                    facet = RANGE_PARAMS[f"{name}_min"]
                    param, bound = _bound(facet.low, facet.high, t.group(1), float(t.group(2)),
                                          facet.datatype)
                    ranges[param] = bound
                    self._note(out, param, _fmt(bound), text.take(m.start(), t.end()))
                    continue
                words = text.take(m.start(), words_end)
                out.measure = name
                if not re.search(COMPARE_WORDS, text.low):
                    ranges.setdefault(f"{name}_min", 0)  # reported at all
                    self._note(out, f"{name}_min", 0, words)
                else:
                    self._note(out, "measure", name, words)
        size = rf"({OP_ANY})? ?{NUM} ?{SIZE_WORDS}(?: ?患者)? ?(以上|以下)?"
        for m in text.find(size):
            op = m.group(1) or m.group(4)
            if not op:
                continue
            facet = RANGE_PARAMS["min_size"]
            param, bound = _bound(facet.low, facet.high, op, float(m.group(2)), "integer")
            ranges[param] = int(bound)
            self._note(out, param, int(bound), text.take(m.start(), m.end()))
        self._years(text, out, ranges)
        for pattern, kind in KIND_WORDS:
            for m in text.find(pattern):
                if out.kind == "studies" or kind == "trials":
                    out.kind = kind if out.kind != "trials" else "trials"
                text.take(m.start(), m.end())

    def _years(self, text: _Text, out: Parsed, ranges: dict[str, float]) -> None:
        rules = [
            (rf"\bbetween {YEAR} and {YEAR}\b|\b{YEAR} ?(?:-|–|to) ?{YEAR}\b"
             rf"|{YEAR} ?年? ?(?:-|–|至|到) ?{YEAR} ?年?", "between"),
            (rf"\b(?:since|from|after|starting) {YEAR}\b", "since"),
            (rf"\b(?:before|until|up to|through|prior to) {YEAR}\b", "before"),
            (rf"{YEAR} ?年? ?(?:以来|以后|之后|起|后)|自 ?{YEAR} ?年?", "since_zh"),
            (rf"{YEAR} ?年? ?(?:以前|之前|前)", "before_zh"),
            (rf"\bin {YEAR}\b|{YEAR} ?年", "in"),
        ]
        for pattern, rule in rules:
            for m in text.find(pattern):
                years = [int(g) for g in m.groups() if g]
                words = text.take(m.start(), m.end())
                if rule == "between":
                    low, high = min(years), max(years)
                elif rule in ("since", "since_zh"):
                    low, high = years[0] + (1 if "after" in words else 0), None
                elif rule in ("before", "before_zh"):
                    strict = not re.search(r"until|up to|through", words)
                    low, high = None, years[0] - (1 if strict else 0)
                else:
                    low = high = years[0]
                if low is not None:
                    ranges["year_min"] = low
                    self._note(out, "year_min", low, words)
                if high is not None:
                    ranges["year_max"] = high
                    self._note(out, "year_max", high, words)

    def _words(self, text: _Text, out: Parsed) -> dict[str, list[Chosen]]:
        terms: dict[str, list[Chosen]] = {}
        found: list[tuple[int, str, Chosen]] = []
        for pattern, name, facet, iri in self.lexicon:
            for m in pattern.finditer(text.low):
                if not text.free(m.start(), m.end()):
                    continue
                raw = text.raw[m.start():m.end()]
                if len(name) == 2 and name.isalpha() and name.isascii() and facet == "country" \
                        and not raw.isupper():
                    continue  # two-letter country codes only in capitals (IT, not "it")
                words = text.take(m.start(), m.end())
                term = self.vocabularies[facet].terms[iri]
                found.append((m.start(), facet, Chosen(words, (term,))))
        for _, facet, chosen in sorted(found, key=lambda f: f[0]):
            if all(c.terms != chosen.terms for c in terms.get(facet, [])):
                terms.setdefault(facet, []).append(chosen)
                term = chosen.terms[0]
                out.understood.append(Understood(facet, term.code or term.slug, chosen.given,
                                                 term.label_en))
        return terms


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"
