"""Building responses: RDF in a negotiated format, and errors that say what went wrong."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pyoxigraph as ox
from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..formats import Format
from ..query import results
from ..query.remote import StoreUnavailable
from ..safe_rdf import UnsupportedUpload, UploadError, UploadTooLarge
from .negotiation import NotAcceptable


def graph_response(triples: Sequence[ox.Triple], fmt: Format, *, status: int = 200) -> Response:
    response = Response(results.graph(triples, fmt.name), status=status,
                        content_type=fmt.content_type)
    response.vary.add("Accept")
    return response


def error_response(status: int, title: str, message: str,
                   headers: dict[str, str] | None = None) -> Response:
    """An error as JSON (``{"status", "error", "message"}``), an HTML page or plain text:
    JSON unless the client prefers a page or text (``*/*``, no Accept and media types of no
    error format all get JSON)."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html", "text/plain"])
    if best == "text/html":
        page = render_template("error.html", status=status, title=title, message=message)
        response = Response(page, status=status, content_type="text/html; charset=utf-8")
    elif best == "text/plain":
        response = Response(f"{status} {title}\n\n{message}\n", status=status,
                            content_type="text/plain; charset=utf-8")
    else:
        body = json.dumps({"status": status, "error": title, "message": message},
                          ensure_ascii=False)
        response = Response(body, status=status, content_type="application/json")
    response.vary.add("Accept")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        headers = dict(exc.get_headers())
        headers.pop("Content-Type", None)
        message = exc.description or ""
        if isinstance(exc, RequestEntityTooLarge) and message == RequestEntityTooLarge.description:
            limit = request.max_content_length
            size = f"{request.content_length} bytes" if request.content_length else "too large"
            message = (f"The request body is {size}; this route accepts at most {limit} bytes."
                       if limit else "The request body is too large.")
        return error_response(exc.code or 500, exc.name, message, headers)

    @app.errorhandler(UploadError)
    def _upload_error(exc: UploadError) -> Response:
        status = 413 if isinstance(exc, UploadTooLarge) else (
            415 if isinstance(exc, UnsupportedUpload) else 400)
        titles = {400: "Bad Request", 413: "Content Too Large", 415: "Unsupported Media Type"}
        return error_response(status, titles[status], f"The uploaded RDF: {exc}.")

    @app.errorhandler(StoreUnavailable)
    def _store_unavailable(exc: StoreUnavailable) -> Response:
        return error_response(503, "Store Unavailable", str(exc), {"Retry-After": "5"})

    @app.errorhandler(NotAcceptable)
    def _not_acceptable(exc: NotAcceptable) -> Response:
        offered = ", ".join(f.media_type for f in exc.offered)
        return error_response(406, "Not Acceptable",
                              f"None of the requested formats can be produced. Available: "
                              f"{offered} (Accept header, or format= with a short name).")
