"""Release dumps at ``/download/{file}``: conditional (ETag, Last-Modified), gzip on request."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from flask import Blueprint, Response, abort, request, send_file

from .state import service

bp = Blueprint("dumps", __name__)

MEDIA_TYPES = {
    "bclm.ttl": "text/turtle; charset=utf-8",
    "bclm.jsonld": "application/ld+json",
    "bclm.nt": "application/n-triples",
    "bclm.trig": "application/trig",
    "bclm-ontology.owl": "application/rdf+xml",
    "bclm-base.owl": "application/rdf+xml",
    "bclm-full.owl": "application/rdf+xml",
    "release.json": "application/json",
}


def _gzipped(path: Path) -> tuple[bytes, str]:
    """The gzip of a file and its ETag, cached per file version."""
    cache = service().cache.setdefault("gzip", {})
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in cache:
        data = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        cache[key] = (data, hashlib.sha256(data).hexdigest()[:32])
    return cache[key]


@bp.route("/download/<name>")
def dump(name: str) -> Response:
    if name not in MEDIA_TYPES:
        abort(404, description=f"No dump named {name}; available: {', '.join(MEDIA_TYPES)}.")
    path = service().release_dir / name
    if not path.is_file():
        abort(404, description=f"{name} is not in this release.")
    if "gzip" in request.accept_encodings:
        data, etag = _gzipped(path)
        response = Response(data, content_type=MEDIA_TYPES[name])
        response.headers["Content-Encoding"] = "gzip"
        response.set_etag(f"{etag}-gzip")
        response.last_modified = path.stat().st_mtime
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response.vary.add("Accept-Encoding")
        return response.make_conditional(request)
    response = send_file(path, mimetype=MEDIA_TYPES[name], conditional=True, etag=True,
                         as_attachment=True, download_name=name, max_age=0)
    response.vary.add("Accept-Encoding")
    return response
