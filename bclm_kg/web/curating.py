"""Curation over HTTP: submissions, approvals, the history of changes, reverts and the SHACL
dry run. Each view checks the token (:mod:`.auth`), calls one :class:`Curation` method and
renders its answer; the gate's reports are negotiated (JSON, Turtle, JSON-LD, HTML)."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for
from werkzeug.exceptions import BadRequest, Forbidden, NotFound, UnsupportedMediaType

from ..curation import Curation, GateReport, InvalidSubmission, Submission, SubmissionStateError
from ..curation.graph_check import check_graph
from ..safe_rdf import parse_upload
from . import metrics
from .auth import READ_ONLY, author
from .limits import accepts_upload
from .negotiation import negotiate
from .responses import error_response
from .state import service

bp = Blueprint("curating", __name__)

JSON = "application/json"
REPORT_KINDS = ["report", "graph", "html"]


def curation() -> Curation:
    """The app's curated data, or 403 when the service is read-only."""
    found = current_app.extensions.get("bclm-curation")
    if found is None:
        raise Forbidden(READ_ONLY)
    return found


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(json.dumps(data, ensure_ascii=False, indent=1), status=status,
                        content_type="application/json")
    response.headers.update(headers or {})
    return response


def _body() -> dict[str, Any]:
    """The request's JSON object (415 / 400 naming what is wrong)."""
    if request.mimetype != JSON:
        raise UnsupportedMediaType(f"Send the body as {JSON}; the request's media type was "
                                   f"{request.mimetype or 'none'}.")
    try:
        body = json.loads(request.get_data(cache=True) or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"The body is not valid JSON: {exc}.") from exc
    if not isinstance(body, dict):
        raise BadRequest(f"The body must be a JSON object; got {type(body).__name__}.")
    return body


def _reason(body: dict[str, Any]) -> str:
    reason = body.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise BadRequest("Give a reason: a JSON object such as {\"reason\": \"…\"}.")
    return reason


def _links(record: Submission) -> dict[str, str]:
    links = {"submission": url_for("curating.submission", sid=record.id)}
    if record.commit:
        links["change"] = url_for("curating.change", cid=record.commit)
        links["release"] = url_for("dumps.dump", name="release.json")
        links["sparql"] = url_for("sparql.endpoint")
    if record.state == "pending":
        links["approve"] = url_for("curating.approve", sid=record.id)
        links["reject"] = url_for("curating.reject", sid=record.id)
    return links


def _submission(record: Submission) -> Response:
    """201 for a committed submission, 202 for a pending one, 200 otherwise; with its links."""
    status = {"committed": 201, "pending": 202}.get(record.state, 200)
    if record.state == "committed":
        metrics.submission_accepted()
    elif record.state == "pending":
        metrics.submission_pending()
    _count_pending()
    body = {"id": record.id, "state": record.state, "version": record.version,
            "change": record.commit, "submission": record.to_json(), "links": _links(record)}
    return _json(body, status, {"Location": url_for("curating.submission", sid=record.id)})


def _count_pending() -> None:
    metrics.pending_submissions(len(curation().submissions("pending")))


def report_response(report: GateReport, status: int, message: str,
                    submission: str | None = None) -> Response:
    """The gate's report as JSON (default), Turtle or JSON-LD (``sh:ValidationReport``), or a
    readable page, by ``Accept``."""
    fmt = negotiate(request, REPORT_KINDS)
    if fmt.kind == "graph":
        body = report.graph().serialize(format=fmt.rdflib, encoding="utf-8")
        response = Response(body, status=status, content_type=fmt.content_type)
    elif fmt.kind == "html":
        page = render_template("gate_report.html", status=status, message=message,
                               report=report, submission=submission)
        response = Response(page, status=status, content_type="text/html; charset=utf-8")
    else:
        response = _json({"status": status, "message": message, "submission": submission,
                          **report.to_json()}, status)
    response.vary.add("Accept")
    return response


def _invalid(exc: InvalidSubmission) -> Response:
    metrics.submission_invalid()
    return report_response(exc.report, 422, str(exc), exc.submission_id)


@bp.route("/api/submissions", methods=["POST"])
def submit() -> Response:
    who = author()
    body = _body()
    try:
        return _submission(curation().submit(body, who))
    except InvalidSubmission as exc:
        return _invalid(exc)


@bp.route("/api/submissions/<sid>")
def submission(sid: str) -> Response:
    try:
        return _json(curation().submission(sid).to_json())
    except KeyError as exc:
        raise NotFound(str(exc.args[0])) from exc


@bp.route("/api/submissions/<sid>/approve", methods=["POST"])
def approve(sid: str) -> Response:
    who = author("curator")
    try:
        return _submission(curation().approve(sid, who))
    except InvalidSubmission as exc:
        return _invalid(exc)
    except KeyError as exc:
        raise NotFound(str(exc.args[0])) from exc
    except SubmissionStateError as exc:
        return error_response(409, "Conflict", str(exc))


@bp.route("/api/submissions/<sid>/reject", methods=["POST"])
def reject(sid: str) -> Response:
    who = author("curator")
    reason = _reason(_body())
    try:
        record = curation().reject(sid, who, reason)
    except KeyError as exc:
        raise NotFound(str(exc.args[0])) from exc
    except SubmissionStateError as exc:
        return error_response(409, "Conflict", str(exc))
    metrics.submission_rejected()
    _count_pending()
    return _json(record.to_json())


@bp.route("/api/changes")
def changes() -> Response:
    items = [{**c.to_json(), "links": {"change": url_for("curating.change", cid=c.id)}}
             for c in curation().changes()]
    return _json({"version": curation().version, "changes": items})


@bp.route("/api/changes/<cid>")
def change(cid: str) -> Response:
    try:
        return _json(curation().change(cid).to_json())
    except KeyError as exc:
        raise NotFound(str(exc.args[0])) from exc


@bp.route("/api/changes/<cid>/revert", methods=["POST"])
def revert(cid: str) -> Response:
    who = author()
    reason = _reason(_body())
    try:
        return _submission(curation().revert(cid, who, reason))
    except InvalidSubmission as exc:
        return _invalid(exc)
    except KeyError as exc:
        raise NotFound(str(exc.args[0])) from exc


@bp.route("/shacl", methods=["POST"])
@accepts_upload
def dry_run() -> Response:
    """A submission (JSON) checked against the current data, or an RDF graph checked alone
    or with the current graph (``?with=current``); nothing is committed."""
    if request.mimetype == JSON:
        report = curation().check(_body())
    else:
        together = request.args.get("with", "")
        if together not in ("", "current"):
            raise BadRequest(f"with={together!r}: the only value is 'current' (validate the "
                             "posted graph together with the current graph)")
        graph = parse_upload(request.get_data(cache=True), request.content_type or "",
                             base=request.base_url,
                             max_bytes=int(current_app.config["MAX_UPLOAD_BYTES"]))
        report = check_graph(graph, service().release_dir if together else None)
    if report.conforms:
        return report_response(report, 200, "Conforms: nothing would be refused.")
    return report_response(report, 422, "Does not conform: see the report.")
