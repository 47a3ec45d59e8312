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
        vocabulary = search.vocabularies[facet.name]
        accepted = vocabulary.accepted()
        # Every spelling the release knows (codes, labels, IRIs; CURIEs and case aside): a value
        # outside them is answered 400. A facet with no values in this release takes none.
        spellings = sorted({*accepted, *vocabulary.spellings.values(), *vocabulary.iris},
                           key=str.casefold)
        items = {"type": "string", "enum": spellings} if spellings else {"type": "string"}
        array = {"type": "array", "items": items} if spellings else {"type": "array",
                                                                     "items": items,
                                                                     "maxItems": 0}
        return [{"name": facet.name, "in": "query", "description": facet.doc,
                 "required": False, "style": "form", "explode": True,
                 "schema": array,
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
        "paths": {**paths, **curation_paths()},
        "components": {"securitySchemes": {"bearer": {
            "type": "http", "scheme": "bearer",
            "description": "A token of the service's token file (bclm-kg serve --tokens); "
                           "its role (curator or submitter) decides what it may do."}},
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
    """(path, summary, parameters) of every example of the document's search operations."""
    out = []
    for path, item in doc["paths"].items():
        if "get" not in item or "content" not in item["get"]["responses"]["200"]:
            continue
        for media in item["get"]["responses"]["200"]["content"].values():
            for example in media.get("examples", {}).values():
                out.append((path, example["summary"], example["value"]))
    return out


def _answer(description: str, media: tuple[str, ...] = ("application/json",)) -> dict:
    return {"description": description,
            "content": {m: {"schema": {"type": "object"} if "json" in m else {"type": "string"}}
                        for m in media}}


ERROR_MEDIA = ("application/json", "text/plain", "text/html")
REPORT_MEDIA = ("application/json", "text/turtle", "application/ld+json", "text/html")
WRITE_ERRORS = {
    "400": _answer("A body that is no JSON object, or a missing reason", ERROR_MEDIA),
    "401": _answer("No bearer token, or one the service does not know (WWW-Authenticate: "
                   "Bearer)", ERROR_MEDIA),
    "403": _answer("The token's role may not do this, or the service is read-only (started "
                   "without --tokens)", ERROR_MEDIA),
    "413": _answer("The body is larger than the limit", ERROR_MEDIA),
    "415": _answer("The body is not application/json", ERROR_MEDIA),
    "429": _answer("Too many writes from this address (Retry-After)", ERROR_MEDIA),
}
SUBMISSION_BODY = {"required": True, "content": {"application/json": {"schema": {
    "type": "object",
    "description": "A submission: the curated file, new rows keyed by its header, corrections "
                   "of rows by id, curation notes (see the README, \"Curating the graph\").",
    "properties": {
        "file": {"type": "string", "example": "tables/table1.tsv"},
        "section": {"type": "string"},
        "rows": {"type": "array", "items": {"type": "object"}},
        "corrections": {"type": "array", "items": {"type": "object"}},
        "curation_notes": {"type": "array", "items": {"type": "object"}},
        "note": {"type": "string"}, "source": {"type": "string"}}}}}}
REASON_BODY = {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}}}}}
SID = {"name": "sid", "in": "path", "required": True,
       "schema": {"type": "string", "pattern": "^sub-[0-9a-f]{12}$"}}
CID = {"name": "cid", "in": "path", "required": True,
       "schema": {"type": "string", "pattern": "^[0-9a-f]{7,40}$"}}
NOT_FOUND = _answer("No such submission or change", ERROR_MEDIA)


def _write(summary: str, operation: str, responses: dict, body: dict | None = None,
           parameters: list | None = None) -> dict:
    op = {"summary": summary, "operationId": operation, "security": [{"bearer": []}],
          "parameters": parameters or [], "responses": {**responses, **WRITE_ERRORS}}
    if body is not None:
        op["requestBody"] = body
    return op


def curation_paths() -> dict:
    """The curation routes (writes need a bearer token; a read-only service answers 403)."""
    committed = _answer("Committed: the submission with its version, change id and links")
    pending = _answer("Pending: waits for a curator's approval")
    refused = _answer("Refused by the gate: the whole report (file, row, column, SHACL focus "
                      "node and message); nothing changed", REPORT_MEDIA)
    conflict = _answer("The submission is not pending", ERROR_MEDIA)
    return {
        "/api/submissions": {"post": _write(
            "Submit a change", "submit",
            {"201": committed, "202": pending, "422": refused}, SUBMISSION_BODY)},
        "/api/submissions/{sid}": {"get": {
            "summary": "A submission and its state (pending, committed, rejected, invalid)",
            "operationId": "submission", "parameters": [SID],
            "responses": {"200": _answer("The submission"), "403": WRITE_ERRORS["403"],
                          "404": NOT_FOUND}}},
        "/api/submissions/{sid}/approve": {"post": _write(
            "Approve a pending submission (curators)", "approve",
            {"201": committed, "404": NOT_FOUND, "409": conflict, "422": refused},
            parameters=[SID])},
        "/api/submissions/{sid}/reject": {"post": _write(
            "Reject a pending submission with a reason (curators)", "reject",
            {"200": _answer("The rejected submission"), "404": NOT_FOUND, "409": conflict},
            REASON_BODY, [SID])},
        "/api/changes": {"get": {
            "summary": "The history of the curated data, newest first", "operationId": "changes",
            "responses": {"200": _answer("The version and the changes"),
                          "403": WRITE_ERRORS["403"]}}},
        "/api/changes/{cid}": {"get": {
            "summary": "A change: the diff of the curated files and the triples added and removed",
            "operationId": "change", "parameters": [CID],
            "responses": {"200": _answer("The change"), "403": WRITE_ERRORS["403"],
                          "404": NOT_FOUND}}},
        "/api/changes/{cid}/revert": {"post": _write(
            "Undo a change with a new one", "revert",
            {"201": committed, "202": pending, "404": NOT_FOUND, "422": refused},
            REASON_BODY, [CID])},
        "/shacl": {"post": {
            "summary": "Dry run: check a submission, or an RDF graph alone or with the current "
                       "graph (with=current); nothing is committed",
            "operationId": "shacl",
            "parameters": [{"name": "with", "in": "query", "required": False,
                            "schema": {"type": "string", "enum": ["current"]}}],
            "requestBody": {"required": True, "content": {
                "application/json": SUBMISSION_BODY["content"]["application/json"],
                "text/turtle": {"schema": {"type": "string"}}}},
            "responses": {"200": _answer("Conforms: the report", REPORT_MEDIA),
                          "422": _answer("Does not conform: the report", REPORT_MEDIA),
                          **{k: v for k, v in WRITE_ERRORS.items() if k != "401"}}}},
    }
