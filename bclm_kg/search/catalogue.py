"""What a result shows about each study and arm of Tables 1 and 2, read once from the release
(the served store never changes: a new release is a new store)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..namespaces import BASE
from .fragments import run_select

BCLM = BASE + "ontology/"
CERTAINTY = {BCLM + "receivesIntervention": "definite", BCLM + "mayReceiveIntervention": "possible"}


def page(iri: str) -> str:
    """The path of an IRI's page on this service."""
    return "/" + iri[len(BASE):] if iri.startswith(BASE) else iri


@dataclass
class Catalogue:
    studies: dict[str, dict] = field(default_factory=dict)
    arms: dict[str, dict] = field(default_factory=dict)
    arms_of: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    links: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    terms: dict[str, dict] = field(default_factory=dict)
    notes: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    memberships: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    _records: dict[str, dict] = field(default_factory=dict)  # built once per IRI (read-only)

    def term(self, iri: str | None) -> dict | None:
        if iri is None:
            return None
        known = self.terms.get(iri, {})
        return {"iri": iri, "value": known.get("code") or iri.rstrip("/").rsplit("/", 1)[-1],
                "label": {"en": known.get("label_en"), "zh": known.get("label_zh")}}

    def study_record(self, iri: str) -> dict:
        """What results show about a study (shared: copy before changing it)."""
        if iri not in self._records:
            self._records[iri] = self._study_record(iri)
        return self._records[iri]

    def arm_record(self, iri: str) -> dict:
        """What results show about an arm (shared: copy before changing it)."""
        if iri not in self._records:
            self._records[iri] = self._arm_record(iri)
        return self._records[iri]

    def _study_record(self, iri: str) -> dict:
        s = self.studies[iri]
        links = self.links.get(iri, {})
        country = s.get("country")
        return {
            "iri": iri,
            "type": "trial" if s.get("trial") else "study",
            "label": {"en": s.get("label_en"), "zh": s.get("label_zh")},
            "page": page(iri),
            "first_author": s.get("first_author"),
            "year": s.get("year"),
            "status": self.term(s.get("status")),
            "grouping": self.term(s.get("grouping")),
            "country": self.term(country),
            "region_memberships": self.memberships.get(country, []),
            "lead_institution_places": [self.term(t) for t in
                                        links.get(BCLM + "leadInstitutionPlace", [])],
            "designs": [self.term(t) for t in links.get(BCLM + "hasDesign", [])],
            "sample_size": s.get("sample_size"),
            "planned_sample_size": s.get("planned_sample_size"),
            "interventions": s.get("interventions"),
            "median_os_text": s.get("median_os_text"),
            "os3_text": s.get("os3_text"),
            "os5_text": s.get("os5_text"),
            "factors_text": s.get("factors_text"),
            "factors": [self.term(t) for t in
                        links.get(BCLM + "hasFavourablePrognosticFactor", [])],
            "registry_id": s.get("registry_id"),
            "registry_record": s.get("registry_record"),
            "reference": ({"number": s["ref_no"], "iri": s.get("reference"),
                           "doi": s.get("doi"), "url": s.get("doi_iri")}
                          if s.get("ref_no") is not None else None),
            "stated_in": ({"iri": s["location"], "label": s.get("location_label"),
                           "table": s["table"], "row": s["row"]}
                          if s.get("location") is not None else None),
            "curation_notes": self.notes.get(iri, []),
        }

    def _arm_record(self, iri: str) -> dict:
        a = self.arms[iri]
        links = self.links.get(iri, {})
        interventions = []
        for link, certainty in CERTAINTY.items():
            for t in links.get(link, []):
                interventions.append({**self.term(t), "certainty": certainty})
        return {
            "iri": iri,
            "label": {"en": a.get("label_en"), "zh": a.get("label_zh")},
            "page": page(iri),
            "index": a.get("arm_index"),
            "sample_size": a.get("sample_size"),
            "interventions_text": a.get("interventions"),
            "interventions": interventions,
            "role": self.term(a.get("role")),
            "median_os": _measure(a, "median_os", "months"),
            "os3": _measure(a, "os3", "%"),
            "os5": _measure(a, "os5", "%"),
        }


def _measure(arm: dict, key: str, unit: str) -> dict | None:
    if arm.get(key) is None:
        return None
    return {"value": arm[key], "printed": arm.get(f"{key}_printed"), "unit": unit}


def load(store) -> Catalogue:
    cat = Catalogue()
    for row in run_select(store, "catalogue-studies"):
        cat.studies.setdefault(row["study"], row)
    for row in run_select(store, "catalogue-arms"):
        if row["arm"] not in cat.arms:
            cat.arms[row["arm"]] = row
            cat.arms_of[row["study"]].append(row["arm"])
    for arms in cat.arms_of.values():
        arms.sort(key=lambda a: (cat.arms[a].get("arm_index") or 0, a))
    for row in run_select(store, "catalogue-links"):
        bucket = cat.links[row["subject"]][row["link"]]
        if row["term"] not in bucket:
            bucket.append(row["term"])
    for row in run_select(store, "catalogue-terms"):
        known = cat.terms.setdefault(row["term"], {})
        for key in ("label_en", "label_zh", "code"):
            if row.get(key) and not known.get(key):
                known[key] = row[key]
    seen = set()
    for row in run_select(store, "catalogue-notes"):
        key = (row["study"], row["note"])
        if key in seen:
            continue
        seen.add(key)
        cat.notes[row["study"]].append({
            "iri": row["note"], "about": row["subject"], "category": row.get("category"),
            "comment": row.get("comment"), "printed": row.get("printed"),
            "suggested": row.get("suggested")})
    for notes in cat.notes.values():
        notes.sort(key=lambda n: n["iri"])
    for row in run_select(store, "catalogue-memberships"):
        entry = {"region": row["region"], "basis": row["basis"]}
        if entry not in cat.memberships[row["country"]]:
            cat.memberships[row["country"]].append(entry)
    return cat
