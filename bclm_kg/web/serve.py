"""``bclm-kg serve``: build the release if there is none, then serve it with gunicorn.

Two gunicorn workers with a few threads each (every worker has its own store, query pool and
answer cache); ``BCLM_WEB_WORKERS`` and ``BCLM_WEB_THREADS`` change the numbers. Werkzeug's
development server is used only where gunicorn cannot run. The workers' metrics are kept in
``PROMETHEUS_MULTIPROC_DIR`` (a directory made for the run unless the variable is set) and added
up by ``/metrics``.
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
from ..errors import BclmError
from ..project import Project
from ..release import Release, current_release

WORKERS = 2
THREADS = 4
METRICS_ENV = "PROMETHEUS_MULTIPROC_DIR"


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


def run(project: Project, host: str = "127.0.0.1", port: int = 8000,
        tokens: Path | None = None) -> None:
    """Serve the project's release on ``host:port`` until interrupted; with a token file, take
    submissions to the project's data (which is opened for curation first: its history started
    if needed, a commit a crash interrupted finished or rolled back)."""
    settings: dict[str, Any] = {"STORE_URL": project.store_url}
    if tokens is not None:
        settings.update(_curation_settings(project, tokens))
    served = current_release(project.release_dir)
    release_dir = project.release_dir if served != project.release_dir and \
        Release(served).exists() else prepare_release(project)
    served = current_release(release_dir)
    damaged = Release(served).damaged_file()
    if damaged is not None:
        from .state import ReleaseCorrupt

        raise ReleaseCorrupt(f"{damaged}: the release file is corrupted or truncated (its "
                             f"SHA-256 differs from {Release(served).manifest_file}); rebuild "
                             "the release with `bclm-kg build`")
    settings["RELEASE_DIR"] = release_dir
    if project.store_path is not None:
        settings["STORE_PATH"] = project.store_path
        _load_disk_store(settings, served)
    from .config import resolve

    timeout = float(resolve(settings)["QUERY_TIMEOUT"])
    if tokens is not None:  # a submission runs the whole build before it is answered
        timeout = max(timeout, BUILD_TIMEOUT)
    options = gunicorn_options(host, port, timeout)
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

    mode = f", taking submissions to {project.data_dir}" if tokens is not None else ""
    print(f"Serving {served} at http://{host}:{port}/ (SPARQL: /sparql){mode}", file=sys.stderr)
    os.environ.setdefault("BCLM_RELEASE_DIR", str(release_dir))
    with metrics_directory():
        Server().run()


BUILD_TIMEOUT = 600.0  # seconds a worker may take to answer a submission (the build runs first)


def _curation_settings(project: Project, tokens: Path) -> dict[str, Any]:
    """The token file (checked now: a bad one stops the command with its error) and the data
    directory, opened for curation once before the workers start."""
    from ..curation import Curation
    from ..tokens import Tokens

    loaded = Tokens.load(tokens)
    if project.bundled_data:
        from . import CurationRefused

        raise CurationRefused(f"{project.data_dir}: the data shipped inside the package cannot "
                              "be curated; give a data directory of your own (--data DIR)")
    Curation.open(project)
    return {"TOKENS": loaded, "DATA_DIR": project.data_dir}


def _load_disk_store(settings: dict[str, Any], served: Path) -> None:
    """Fill the on-disk store once before the workers open it read-only."""
    from ..query.store import StoreSpec
    from .state import store_path

    StoreSpec(trig=Release(served).dataset, path=store_path(settings, served)).open()
