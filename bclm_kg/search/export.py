"""Search results as CSV rows and as a JSON-LD document (the JSON shape is the default)."""

from __future__ import annotations

import csv
import io

from ..namespaces import BASE

STUDY_COLUMNS = ("iri", "label", "label_zh", "table", "row", "first_author", "country",
                 "year", "status", "grouping", "designs", "sample_size", "planned_sample_size",
                 "interventions", "median_os", "os_3y", "os_5y", "favourable_factors",
                 "reference", "doi", "registry_id", "curation_notes", "matched", "page")
ARM_COLUMNS = ("study_iri", "study", "table", "row", "arm_iri", "arm", "country", "year",
               "status", "grouping", "sample_size", "interventions", "median_os_months",
               "os_3y_percent", "os_5y_percent", "favourable_factors", "reference", "doi",
               "curation_notes", "matched", "page")


def _en(term: dict | None) -> str:
    return ((term or {}).get("label") or {}).get("en") or ""


def _matched(matched: dict) -> str:
    parts = []
    for facet, values in matched.items():
        for v in values:
            if facet == "intervention":
                text = f"{v['intervention']['value']} ({v['certainty']})"
            elif facet == "region":
                text = f"{_en(v['region'])} via {_en(v['country'])}: {v['basis']}"
            elif facet == "country":
                text = f"{_en(v['country'])} ({v['via']})"
            elif isinstance(v, dict) and "value" in v and "unit" in v:
                text = f"{v['value']}"
            elif isinstance(v, dict) and "text" in v:
                text = v["text"]
            else:
                text = _en(v) or (v or {}).get("value", "")
            parts.append(f"{facet}={text}")
    return "; ".join(parts)


def _study_common(study: dict) -> dict:
    ref = study.get("reference") or {}
    stated = study.get("stated_in") or {}
    return {
        "table": stated.get("table", ""), "row": stated.get("row", ""),
        "country": _en(study.get("country")), "year": study.get("year") or "",
        "status": (study.get("status") or {}).get("value", ""),
        "grouping": (study.get("grouping") or {}).get("value", ""),
        "favourable_factors": "; ".join(_en(f) for f in study.get("factors", [])),
        "reference": ref.get("number", ""), "doi": ref.get("doi", ""),
        "curation_notes": " | ".join(n.get("comment") or n["iri"]
                                     for n in study.get("curation_notes", [])),
    }


def csv_rows(kind: str, items: list[dict]) -> tuple[tuple[str, ...], list[dict]]:
    """Columns and one row per item."""
    rows = []
    if kind == "arms":
        for arm in items:
            study = arm["study"]
            rows.append({
                **_study_common(study), "study_iri": study["iri"],
                "study": study["label"]["en"], "arm_iri": arm["iri"], "arm": arm["label"]["en"],
                "sample_size": arm.get("sample_size") or "",
                "interventions": arm.get("interventions_text") or "",
                "median_os_months": (arm.get("median_os") or {}).get("value", ""),
                "os_3y_percent": (arm.get("os3") or {}).get("value", ""),
                "os_5y_percent": (arm.get("os5") or {}).get("value", ""),
                "matched": _matched(arm.get("matched", {})), "page": arm["page"]})
        return ARM_COLUMNS, rows
    for study in items:
        rows.append({
            **_study_common(study), "iri": study["iri"], "label": study["label"]["en"],
            "label_zh": study["label"]["zh"], "first_author": study.get("first_author") or "",
            "designs": "; ".join(d["value"] for d in study.get("designs", [])),
            "sample_size": study.get("sample_size") or "",
            "planned_sample_size": study.get("planned_sample_size") or "",
            "interventions": study.get("interventions") or "",
            "median_os": study.get("median_os_text") or "",
            "os_3y": study.get("os3_text") or "", "os_5y": study.get("os5_text") or "",
            "registry_id": study.get("registry_id") or "",
            "matched": _matched(study.get("matched", {})), "page": study["page"]})
    return STUDY_COLUMNS, rows


def to_csv(kind: str, items: list[dict]) -> str:
    columns, rows = csv_rows(kind, items)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


CONTEXT = {
    "bclm": BASE + "ontology/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "label": {"@id": "rdfs:label", "@container": "@language"},
    "year": {"@id": "bclm:year", "@type": "xsd:integer"},
    "sampleSize": {"@id": "bclm:sampleSize", "@type": "xsd:integer"},
    "leadCountry": {"@id": "bclm:leadCountry", "@type": "@id"},
    "status": {"@id": "bclm:status", "@type": "@id"},
    "paperGrouping": {"@id": "bclm:paperGrouping", "@type": "@id"},
    "statedIn": {"@id": "bclm:statedIn", "@type": "@id"},
    "curationNote": {"@id": "bclm:curationNote", "@type": "@id"},
    "hasArm": {"@id": "bclm:hasArm", "@type": "@id"},
    "armOf": {"@id": "bclm:armOf", "@type": "@id"},
    "interventionText": "bclm:interventionText",
    "involvesIntervention": {"@id": "bclm:involvesIntervention", "@type": "@id"},
    "hasFavourablePrognosticFactor": {"@id": "bclm:hasFavourablePrognosticFactor",
                                      "@type": "@id"},
}


def _labels(label: dict) -> dict:
    return {k: v for k, v in label.items() if v}


def to_jsonld(kind: str, items: list[dict], total: int) -> dict:
    """The items as JSON-LD nodes using the ontology's terms."""
    graph = []
    for item in items:
        if kind == "arms":
            node = {"@id": item["iri"], "@type": "bclm:Arm", "label": _labels(item["label"]),
                    "armOf": item["study"]["iri"],
                    "interventionText": item.get("interventions_text"),
                    "involvesIntervention": [i["iri"] for i in item["interventions"]],
                    "statedIn": (item["study"]["stated_in"] or {}).get("iri")}
            if item.get("sample_size"):
                node["sampleSize"] = item["sample_size"]
        else:
            node = {"@id": item["iri"], "@type": "bclm:Study", "label": _labels(item["label"]),
                    "statedIn": (item["stated_in"] or {}).get("iri"),
                    "hasArm": [a["iri"] for a in item["arms"]],
                    "interventionText": item.get("interventions"),
                    "hasFavourablePrognosticFactor": [f["iri"] for f in item["factors"]],
                    "curationNote": [n["iri"] for n in item["curation_notes"]]}
            for key, field in (("year", "year"), ("sampleSize", "sample_size")):
                if item.get(field) is not None:
                    node[key] = item[field]
            for key, field in (("leadCountry", "country"), ("status", "status"),
                               ("paperGrouping", "grouping")):
                if item.get(field):
                    node[key] = item[field]["iri"]
        graph.append({k: v for k, v in node.items() if v not in (None, [], {})})
    return {"@context": CONTEXT, "@graph": graph, "bclm:total": total}
