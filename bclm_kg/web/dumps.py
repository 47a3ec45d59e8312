"""Release dumps at ``/download/{file}``: conditional (ETag, Last-Modified), gzip on request."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from flask import Blueprint, Response, abort, request, send_file

from ..release import Release
from .state import service

bp = Blueprint("dumps", __name__)



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
    release = Release(service().release_dir)
    media_types = release.downloads()
    if name not in media_types:
        abort(404, description=f"No dump named {name}; available: {', '.join(media_types)}.")
    media_type = media_types[name]
    path = release.path / name
    if not path.is_file():
        abort(404, description=f"{name} is not in this release.")
    if "gzip" in request.accept_encodings:
        data, etag = _gzipped(path)
        response = Response(data, content_type=media_type)
        response.headers["Content-Encoding"] = "gzip"
        response.set_etag(f"{etag}-gzip")
        response.last_modified = path.stat().st_mtime
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response.vary.add("Accept-Encoding")
        return response.make_conditional(request)
    response = send_file(path, mimetype=media_type, conditional=True, etag=True,
                         as_attachment=True, download_name=name, max_age=0)
    response.vary.add("Accept-Encoding")
    return response
