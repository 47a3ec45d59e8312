"""The OpenAPI 3 description of the search API, generated from the facet declarations, with
examples that run against the release (a test runs every one)."""

from __future__ import annotations

from ..formats import formats_of
from ..namespaces import NAMED_GRAPHS
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
        vocabulary = search.vocabularies[facet.name]
        accepted = vocabulary.accepted()
        # Every spelling the release knows (codes, labels, IRIs; CURIEs and case aside): a value
        # outside them is answered 400. An empty value (a form's blank choice) is ignored.
        spellings = sorted({*accepted, *vocabulary.spellings.values(), *vocabulary.iris},
                           key=str.casefold)
        return [{"name": facet.name, "in": "query", "description": facet.doc,
                 "required": False, "style": "form", "explode": True,
                 "schema": {"type": "array",
                            "items": {"type": "string", "enum": ["", *spellings]}},
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


PROBLEM = {"description": "What is wrong, as text, JSON or HTML by Accept",
           "content": {"text/plain": {"schema": {"type": "string"}},
                       "application/json": {"schema": {"type": "object"}},
                       "text/html": {"schema": {"type": "string"}}}}


def _operations() -> dict:
    """The health check, the metrics and the Graph Store Protocol's read side."""
    rdf = {f.media_type: {"schema": {"type": "string"}} for f in formats_of("graph")}
    rdf["application/ld+json"] = {"schema": {"type": "object"}}
    store = {"type": "object", "required": ["kind", "loaded_at"], "properties": {
        "kind": {"type": "string", "enum": ["memory", "oxigraph", "sparql"]},
        "triples": {"type": "integer", "minimum": 0},
        "loaded_at": {"type": "string", "format": "date-time"}}}
    health = {"type": "object", "required": ["status", "version", "store", "mode"],
              "properties": {"status": {"type": "string", "enum": ["ok", "unavailable"]},
                             "version": {"type": "string"}, "store": store,
                             "mode": {"type": "string", "enum": ["read-only", "curation"]},
                             "reason": {"type": "string"}}}
    return {
        "/healthz": {"get": {
            "summary": "Health: the store, the version served, read-only or curation",
            "operationId": "health",
            "responses": {
                "200": {"description": "The store answers",
                        "content": {"application/json": {"schema": health}}},
                "503": {"description": "The store cannot answer (reason)",
                        "content": {"application/json": {"schema": health}}}}}},
        "/metrics": {"get": {
            "summary": "Metrics in the Prometheus text format", "operationId": "metrics",
            "responses": {"200": {"description": "Every metric, added up over the workers",
                                  "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
        "/rdf-graph-store": {"get": {
            "summary": "A named graph of the release (SPARQL 1.1 Graph Store Protocol, read)",
            "description": "graph=IRI names one of the release's named graphs; the protocol's "
                           "other form, default (the union of the named graphs), is given "
                           "instead of graph. RDF by Accept or format=. Writes (PUT, POST, "
                           "DELETE, PATCH) answer 405: changes go through POST "
                           "/api/submissions.",
            "operationId": "graph_store_get",
            "parameters": [{"name": "graph", "in": "query", "required": True,
                            "schema": {"type": "string",
                                       "enum": [str(g) for g in NAMED_GRAPHS]}}],
            "responses": {"200": {"description": "The graph", "content": rdf},
                          "400": PROBLEM,
                          "404": {**PROBLEM, "description": "No such graph in this release"},
                          "406": PROBLEM}}},
    }


TOO_MANY = {"description": "Too many requests of this kind from this address (Retry-After)",
            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            "content": PROBLEM["content"]}


def _object(*required: str, **properties: dict) -> dict:
    return {"type": "object", "required": list(required), "properties": properties}


SUBMISSION_BODY = {
    "type": "object", "required": ["file"],
    "description": "A change to one curated file: new rows (keyed by the file's header, or new "
                   "items of the YAML list named by section), corrections of a row's cells, "
                   "curation notes; at least one of the three. See the README.",
    "properties": {
        "file": {"type": "string", "example": "tables/table1.tsv"},
        "rows": {"type": "array", "items": {"type": "object"}},
        "corrections": {"type": "array", "items": _object(
            "id", "cells", "reason", id={"type": "string"}, cells={"type": "object"},
            reason={"type": "string"})},
        "curation_notes": {"type": "array", "items": {"type": "object"}},
        "section": {"type": "string"},
        "note": {"type": "string"},
        "source": {"type": "string"}}}
REASON_BODY = {"required": True, "content": {"application/json": {"schema": _object(
    "reason", reason={"type": "string", "minLength": 1})}}}
REPORT = {"description": "The gate's report (file, row, column, SHACL results): JSON, or as "
                         "an sh:ValidationReport graph, or a page, by Accept",
          "content": {"application/json": {"schema": {"type": "object"}},
                      **{f.media_type: {"schema": {"type": "string"}}
                         for f in formats_of("graph") if f.name != "jsonld"},
                      "application/ld+json": {"schema": {"type": "object"}},
                      "text/html": {"schema": {"type": "string"}}}}
SUBMITTED = {"content": {"application/json": {"schema": _object(
    "id", "state", "submission", id={"type": "string"}, state={"type": "string"},
    version={"type": "string", "nullable": True}, change={"type": "string", "nullable": True},
    submission={"type": "object"}, links={"type": "object"})}}}
WRITE_ERRORS = {"400": PROBLEM, "401": {**PROBLEM, "description": "No known bearer token"},
                "403": {**PROBLEM, "description": "The token's role may not do this, or the "
                                                  "service is read-only"},
                "413": PROBLEM, "415": PROBLEM, "429": TOO_MANY}


def _write(summary: str, operation: str, body: dict, responses: dict,
           parameters: list | None = None, *, token: bool = True) -> dict:
    errors = WRITE_ERRORS if token else {k: v for k, v in WRITE_ERRORS.items() if k != "401"}
    return {"post": {"summary": summary, "operationId": operation,
                     "security": [{"bearer": []}] if token else [],
                     "parameters": parameters or [], "requestBody": body,
                     "responses": {**responses, **errors}}}


def _curation() -> dict:
    """Submissions, approvals, the history of changes, reverts and the SHACL dry run."""
    sid = [{"name": "sid", "in": "path", "required": True, "schema": {"type": "string"}}]
    cid = [{"name": "cid", "in": "path", "required": True, "schema": {"type": "string"}}]
    submission_body = {"required": True,
                       "content": {"application/json": {"schema": SUBMISSION_BODY}}}
    done = {"201": {**SUBMITTED, "description": "Committed: a new version is served"},
            "202": {**SUBMITTED, "description": "Pending: waits for a curator"},
            "422": {**REPORT, "description": "Refused by the gate; nothing changed"}}
    missing = {**PROBLEM, "description": "No such submission or change"}
    conflict = {**PROBLEM, "description": "The submission is not pending"}
    read_only = {**PROBLEM, "description": "The service is read-only"}
    return {
        "/api/submissions": _write("Submit a change (curator: committed; submitter: pending)",
                                   "submit", submission_body, done),
        "/api/submissions/{sid}": {"get": {
            "summary": "A submission and its state", "operationId": "submission",
            "parameters": sid,
            "responses": {"200": {"description": "The submission",
                                  "content": {"application/json": {"schema": {
                                      "type": "object"}}}},
                          "403": read_only, "404": missing}}},
        "/api/submissions/{sid}/approve": _write(
            "Approve a pending submission (curator)", "approve",
            {"required": False, "content": {"application/json": {"schema": {
                "type": "object"}}}},
            {**done, "404": missing, "409": conflict}, sid),
        "/api/submissions/{sid}/reject": _write(
            "Reject a pending submission (curator), with a reason", "reject", REASON_BODY,
            {"200": {"description": "Rejected", "content": {"application/json": {
                "schema": {"type": "object"}}}}, "404": missing, "409": conflict}, sid),
        "/api/changes": {"get": {
            "summary": "The history of the curated data, newest first",
            "operationId": "changes",
            "responses": {"200": {"description": "The version and the changes",
                                  "content": {"application/json": {"schema": _object(
                                      "version", "changes", version={"type": "string"},
                                      changes={"type": "array",
                                               "items": {"type": "object"}})}}},
                          "403": read_only}}},
        "/api/changes/{cid}": {"get": {
            "summary": "A change: its diff of the curated files and the triples added and "
                       "removed", "operationId": "change", "parameters": cid,
            "responses": {"200": {"description": "The change",
                                  "content": {"application/json": {"schema": _object(
                                      "id", "files", "diff", "triples",
                                      files={"type": "array", "items": {"type": "string"}},
                                      diff={"type": "string"},
                                      triples={"type": "object"})}}},
                          "403": read_only, "404": missing}}},
        "/api/changes/{cid}/revert": _write(
            "Undo a change with a new one, with a reason", "revert", REASON_BODY,
            {**done, "404": missing}, cid),
        "/shacl": _write(
            "Dry run: check a submission, or validate an RDF graph (with=current: together with "
            "the current graph); nothing is committed", "dry_run",
            {"required": True, "content": {
                "application/json": {"schema": SUBMISSION_BODY},
                **{f.media_type: {"schema": {"type": "string"}} for f in formats_of("graph")
                   if f.name != "jsonld"},
                "application/ld+json": {"schema": {"type": "object"}}}},
            {"200": {**REPORT, "description": "Conforms"},
             "422": {**REPORT, "description": "Does not conform"}},
            [{"name": "with", "in": "query", "required": False,
              "schema": {"type": "string", "enum": ["current"]}}], token=False),
    }


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
                "400": ERROR}}}
        paths[f"{path}.csv"] = {"get": {
            "summary": f"Search {kind} by facets, as CSV", "operationId": f"search_{kind}_csv",
            "parameters": params + PAGING,
            "responses": {"200": {"description": "CSV, one row per item",
                                  "content": {"text/csv": {"schema": {"type": "string"}}}},
                          "400": ERROR}}}
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
                      "400": ERROR}}}
    paths.update(_operations())
    paths.update(_curation())
    for item in paths.values():  # queries, questions and searches are rate-limited reads
        for operation in item.values():
            operation["responses"].setdefault("429", TOO_MANY)
    return {
        "openapi": "3.0.3",
        "info": {"title": "bclm-kg search API", "version": version,
                 "description": "Faceted search and questions over the evidence of the review's "
                                "Tables 1 and 2 (breast cancer liver metastases)."},
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"securitySchemes": {"bearer": {
            "type": "http", "scheme": "bearer",
            "description": "A token of the service's token file (bclm-kg serve --tokens)"}},
            "schemas": {
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
        if "get" not in item or "200" not in item["get"]["responses"]:
            continue
        for media in item["get"]["responses"]["200"]["content"].values():
            for example in (media.get("examples") or {}).values():
                out.append((path, example["summary"], example["value"]))
    return out
