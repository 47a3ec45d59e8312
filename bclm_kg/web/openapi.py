"""The OpenAPI 3 description of the search API, generated from the facet declarations, with
examples that run against the release (a test runs every one)."""

from __future__ import annotations

from ..search import FACETS, SORTS, Search
from ..search.facets import RangeFacet, TermFacet, TextFacet

EXAMPLES = {
    "/api/studies": {
        "completed-mwa": ("Completed studies with microwave ablation",
                          {"intervention": "MWA", "status": "completed"}),
        "europe-resection-trials": ("Prospective resection trials in Europe (Turkey by the "
                                    "review's count)",
                                    {"intervention": "resection", "design": "prospective",
                                     "region": "Europe", "type": "trial"}),
        "china-rfa-os5": ("RFA studies from China reporting 5-year OS",
                          {"intervention": "RFA", "country": "中国", "os5_min": "0"}),
        "ablation-definite": ("Studies where every patient of an arm received an ablation",
                              {"intervention": "ablation", "certainty": "definite"}),
    },
    "/api/arms": {
        "median-os-60": ("Arms with a median OS of at least 60 months",
                         {"median_os_min": "60", "sort": "-median_os"}),
        "os5-50": ("Arms with a 5-year OS of at least 50 %", {"os5_min": "50"}),
    },
    "/api/trials": {
        "ongoing": ("Ongoing trials", {"status": "ongoing"}),
        "hr-ncit": ("Trials with hepatic resection, by its NCIt code",
                    {"intervention": "NCIT:C15249"}),
    },
    "/api/ask": {
        "en": ("A question in English", {"q": "prospective HR trials in Europe"}),
        "zh": ("A question in Chinese", {"q": "欧洲 前瞻性 肝切除 试验"}),
        "count": ("A counting question", {"q": "how many ongoing trials"}),
        "compare": ("A comparing question", {"q": "median OS of HR vs RFA"}),
    },
}


def _parameter(facet, search: Search) -> list[dict]:
    if isinstance(facet, TermFacet):
        accepted = search.vocabularies[facet.name].accepted()
        return [{"name": facet.name, "in": "query", "description": facet.doc,
                 "required": False, "style": "form", "explode": True,
                 "schema": {"type": "array", "items": {"type": "string"}},
                 "examples": {"accepted": {"summary": "short values (labels, codes, CURIEs "
                                                      "and IRIs are accepted too)",
                                           "value": accepted[:5]}}}]
    if isinstance(facet, RangeFacet):
        kind = "integer" if facet.datatype == "integer" else "number"
        return [{"name": p, "in": "query", "required": False,
                 "description": f"{facet.doc} {'Lower' if p == facet.low else 'Upper'} bound, "
                                f"inclusive ({facet.unit}).",
                 "schema": {"type": kind}} for p in facet.params]
    assert isinstance(facet, TextFacet)
    return [{"name": facet.name, "in": "query", "description": facet.doc, "required": False,
             "style": "form", "explode": True,
             "schema": {"type": "array", "items": {"type": "string"}}}]


PAGING = [
    {"name": "limit", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}},
    {"name": "offset", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 0, "default": 0}},
    {"name": "sort", "in": "query", "required": False,
     "description": "Sort key; a leading '-' sorts descending. Missing values come last.",
     "schema": {"type": "string", "enum": [*SORTS, *(f"-{s}" for s in SORTS)],
                "default": "paper"}},
]

ERROR = {"description": "An unknown parameter or value: what is accepted, and the nearest "
                        "accepted spellings",
         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _examples(path: str) -> dict:
    return {name: {"summary": summary, "value": params}
            for name, (summary, params) in EXAMPLES[path].items()}


TOO_MANY = {  # bclm_kg.web.limits: expensive reads (questions, large pages, CSV)
    "description": "Too many expensive requests from this address; retry after Retry-After "
                   "seconds",
    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    "content": {"application/json": {"schema": {
        "type": "object", "required": ["status", "error", "message"],
        "properties": {"status": {"type": "integer"}, "error": {"type": "string"},
                       "message": {"type": "string"}}}}}}


def document(search: Search, server: str, version: str) -> dict:
    params = [p for f in FACETS for p in _parameter(f, search)]
    paths: dict = {}
    for kind in ("studies", "arms", "trials"):
        path = f"/api/{kind}"
        paths[path] = {"get": {
            "summary": f"Search {kind} by facets",
            "description": "A repeated parameter is OR within its facet; facets are ANDed. "
                           "JSON by default; CSV by Accept: text/csv or the .csv suffix; "
                           "JSON-LD by Accept: application/ld+json.",
            "operationId": f"search_{kind}",
            "parameters": params + PAGING,
            "responses": {
                "200": {"description": "The page of results, total, facet counts, the SPARQL",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Results"},
                                "examples": _examples(path)},
                            "text/csv": {"schema": {"type": "string"}},
                            "application/ld+json": {"schema": {"type": "object"}}}},
                "400": ERROR, "429": TOO_MANY}}}
        paths[f"{path}.csv"] = {"get": {
            "summary": f"Search {kind} by facets, as CSV", "operationId": f"search_{kind}_csv",
            "parameters": params + PAGING,
            "responses": {"200": {"description": "CSV, one row per item",
                                  "content": {"text/csv": {"schema": {"type": "string"}}}},
                          "400": ERROR, "429": TOO_MANY}}}
    paths["/api/ask"] = {"get": {
        "summary": "Ask a question in English, Chinese or both",
        "description": "Parsed deterministically into the same facets (see docs/search.md "
                       "for the grammar); counting and comparing questions are answered.",
        "operationId": "ask",
        "parameters": [{"name": "q", "in": "query", "required": True,
                        "schema": {"type": "string"}}] + PAGING,
        "responses": {"200": {"description": "Understood facets, ignored words, the answer, "
                                             "the rows and the SPARQL",
                              "content": {"application/json": {
                                  "schema": {"type": "object"},
                                  "examples": _examples("/api/ask")}}},
                      "400": ERROR, "429": TOO_MANY}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "bclm-kg search API", "version": version,
                 "description": "Faceted search and questions over the evidence of the review's "
                                "Tables 1 and 2 (breast cancer liver metastases)."},
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error", "parameter"], "properties": {
                "error": {"type": "string"}, "parameter": {"type": "string"},
                "message": {"type": "string"},
                "accepted": {"type": "array", "items": {"type": "string"}},
                "did_you_mean": {"type": "array", "items": {"type": "string"}}}},
            "Results": {"type": "object",
                        "required": ["total", "limit", "offset", "items", "facets", "sparql"],
                        "properties": {
                            "total": {"type": "integer"}, "limit": {"type": "integer"},
                            "offset": {"type": "integer"}, "sort": {"type": "string"},
                            "items": {"type": "array", "items": {"type": "object"}},
                            "facets": {"type": "object"},
                            "sparql": {"type": "object"}}}}},
    }


def examples(doc: dict) -> list[tuple[str, str, dict]]:
    """(path, summary, parameters) of every example in the document."""
    out = []
    for path, item in doc["paths"].items():
        for media in item["get"]["responses"]["200"]["content"].values():
            for example in media.get("examples", {}).values():
                out.append((path, example["summary"], example["value"]))
    return out
