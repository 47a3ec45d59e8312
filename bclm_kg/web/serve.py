"""``bclm-kg serve``: build the release if there is none, then serve it with gunicorn.

Two gunicorn workers with a few threads each (every worker has its own store, query pool and
answer cache); ``BCLM_WEB_WORKERS`` and ``BCLM_WEB_THREADS`` change the numbers. Werkzeug's
development server is used only where gunicorn cannot run.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from ..build import prepare_release
from ..errors import BclmError
from ..project import Project

WORKERS = 2
THREADS = 4


def _count(variable: str, default: int) -> int:
    value = os.environ.get(variable, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise BclmError(f"{variable} must be a whole number of at least 1; got {value!r}")
    return int(value)


def gunicorn_options(host: str, port: int, timeout: float) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": _count("BCLM_WEB_WORKERS", WORKERS),
        "worker_class": "gthread",
        "threads": _count("BCLM_WEB_THREADS", THREADS),
        # A worker answers within the query time limit; this only catches a stuck worker.
        "timeout": int(timeout) + 30,
        "graceful_timeout": 10,
        "limit_request_line": 0,  # long GET queries are checked (413) by the app instead
        "accesslog": None,  # the app logs one structured line per request
        "errorlog": "-",
        "loglevel": "info",
        "control_socket_disable": True,  # gunicorn >= 25.1; one server per host need not own it
    }


def run(project: Project, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the project's release on ``host:port`` until interrupted."""
    release_dir = prepare_release(project)
    damaged = project.release.damaged_file()
    if damaged is not None:
        from .state import ReleaseCorrupt

        raise ReleaseCorrupt(f"{damaged}: the release file is corrupted or truncated (its "
                             f"SHA-256 differs from {project.release.manifest_file}); rebuild "
                             "the release with `bclm-kg build`")
    settings: dict[str, Any] = {"RELEASE_DIR": release_dir, "STORE_URL": project.store_url}
    if project.store_path is not None:
        settings["STORE_PATH"] = project.store_path
        _load_disk_store(project)
    from .config import resolve

    options = gunicorn_options(host, port, float(resolve(settings)["QUERY_TIMEOUT"]))
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:  # pragma: no cover - gunicorn is a dependency; e.g. on Windows
        from . import create_app

        create_app(settings).run(host=host, port=port, threaded=True)
        return

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings:  # skip settings older gunicorns do not have
                    self.cfg.set(key, value)

        def load(self):
            from . import create_app

            return create_app(settings)

    print(f"Serving {release_dir} at http://{host}:{port}/ (SPARQL: /sparql)", file=sys.stderr)
    os.environ.setdefault("BCLM_RELEASE_DIR", str(release_dir))
    Server().run()


def _load_disk_store(project: Project) -> None:
    """Fill the on-disk store once before the workers open it read-only."""
    from ..query.store import StoreSpec

    StoreSpec(trig=project.release.dataset, path=project.store_path).open()
