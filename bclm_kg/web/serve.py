"""``bclm-kg serve``: build the release if there is none, then serve it with gunicorn.

Two gunicorn workers with a few threads each (every worker has its own store and query
pool); Werkzeug's development server is used only where gunicorn cannot run. The workers' metrics
are kept in ``PROMETHEUS_MULTIPROC_DIR`` (a directory made for the run unless the variable is
set) and added up by ``/metrics``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..build import prepare_release
from ..project import Project

WORKERS = 2
THREADS = 4
METRICS_ENV = "PROMETHEUS_MULTIPROC_DIR"


def gunicorn_options(host: str, port: int, timeout: float) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": WORKERS,
        "worker_class": "gthread",
        "threads": THREADS,
        # A worker answers within the query time limit; this only catches a stuck worker.
        "timeout": int(timeout) + 30,
        "graceful_timeout": 10,
        "limit_request_line": 0,  # long GET queries are checked (413) by the app instead
        "accesslog": None,  # the app logs one structured line per request
        "errorlog": "-",
        "loglevel": "info",
        "control_socket_disable": True,  # gunicorn >= 25.1; one server per host need not own it
        "child_exit": _worker_exited,
    }


def _worker_exited(server: Any, worker: Any) -> None:
    """Drop a dead worker's live gauges from the metrics (gunicorn's ``child_exit`` hook)."""
    if os.environ.get(METRICS_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


@contextmanager
def metrics_directory() -> Iterator[Path]:
    """``PROMETHEUS_MULTIPROC_DIR`` for this run: the variable's directory, emptied of the
    previous run's files, or a new temporary one, removed afterwards. Set before any worker
    starts (and before ``prometheus_client`` is imported), so every worker writes there."""
    given = os.environ.get(METRICS_ENV)
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        for old in path.glob("*.db"):
            old.unlink()
        yield path
        return
    path = Path(tempfile.mkdtemp(prefix="bclm-kg-metrics-"))
    os.environ[METRICS_ENV] = str(path)
    try:
        yield path
    finally:
        del os.environ[METRICS_ENV]
        shutil.rmtree(path, ignore_errors=True)


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

    timeout = float(resolve(settings)["QUERY_TIMEOUT"])
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:  # pragma: no cover - gunicorn is a dependency; e.g. on Windows
        from . import create_app

        create_app(settings).run(host=host, port=port, threaded=True)
        return

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in gunicorn_options(host, port, timeout).items():
                if key in self.cfg.settings:  # skip settings older gunicorns do not have
                    self.cfg.set(key, value)

        def load(self):
            from . import create_app

            return create_app(settings)

    print(f"Serving {release_dir} at http://{host}:{port}/ (SPARQL: /sparql)", file=sys.stderr)
    os.environ.setdefault("BCLM_RELEASE_DIR", str(release_dir))
    with metrics_directory():
        Server().run()


def _load_disk_store(project: Project) -> None:
    """Fill the on-disk store once before the workers open it read-only."""
    from ..query.store import StoreSpec

    StoreSpec(trig=project.release.dataset, path=project.store_path).open()
