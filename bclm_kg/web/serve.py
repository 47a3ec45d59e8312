"""``bclm-kg serve``: build the release if there is none, then serve it with gunicorn or
Granian.

Two workers with a few threads each (every worker has its own store, query pool and answer
cache); ``BCLM_WEB_WORKERS`` and ``BCLM_WEB_THREADS`` change the numbers. ``BCLM_WEB_SERVER``
picks the HTTP server: ``gunicorn`` (the default; ``gthread`` workers) or ``granian`` (HTTP
parsing, connections and keep-alive in Rust, the WSGI app in its blocking threads, failed
workers respawned). Werkzeug's development server is used only where gunicorn cannot run. The
workers' metrics are kept in ``PROMETHEUS_MULTIPROC_DIR`` (a directory made for the run unless
the variable is set) and added up by ``/metrics``.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
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
SERVER_ENV = "BCLM_WEB_SERVER"
SERVERS = ("gunicorn", "granian")  # the first is the default


def _count(variable: str, default: int) -> int:
    value = os.environ.get(variable, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise BclmError(f"{variable} must be a whole number of at least 1; got {value!r}")
    return int(value)


def web_server() -> str:
    """The HTTP server ``BCLM_WEB_SERVER`` names (gunicorn unless set)."""
    value = os.environ.get(SERVER_ENV, "").strip().lower() or SERVERS[0]
    if value not in SERVERS:
        raise BclmError(f"{SERVER_ENV} must be one of {', '.join(SERVERS)}; got {value!r}")
    return value


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


def granian_options(host: str, port: int, max_query_bytes: int) -> dict[str, Any]:
    """Granian's settings for ``bclm-kg serve`` (what :func:`gunicorn_options` sets, where
    Granian has it)."""
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings

    return {
        "address": host,
        "port": port,
        "interface": Interfaces.WSGI,
        "http": HTTPModes.http1,
        "workers": _count("BCLM_WEB_WORKERS", WORKERS),
        "blocking_threads": _count("BCLM_WEB_THREADS", THREADS),
        # long GET queries are checked (413) by the app: the request head must fit
        "http1_settings": HTTP1Settings(max_buffer_size=max(417_792, max_query_bytes * 4
                                                            + 65_536)),
        "respawn_failed_workers": True,
        "respawn_interval": 1.0,
        "workers_kill_timeout": 10,  # as gunicorn's graceful_timeout
        "log_access": False,  # the app logs one structured line per request
        "log_dictconfig": {"handlers": {  # on standard error, as gunicorn's (Granian: output)
            name: {"formatter": formatter, "class": "logging.StreamHandler",
                   "stream": "ext://sys.stderr"}
            for name, formatter in (("console", "generic"), ("access", "access"))}},
        "websockets": False,
    }


def forget_dead_workers(folder: Path) -> None:
    """Drop the live gauges of workers that no longer run (Granian has no hook for a worker's
    exit, so each new worker does this as it starts)."""
    from prometheus_client import multiprocess

    pids = {int(m.group(1)) for f in folder.glob("gauge_live*.db")
            if (m := re.search(r"_(\d+)\.db$", f.name))}
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            multiprocess.mark_process_dead(pid, str(folder))
        except PermissionError:  # alive, another user's
            pass


def granian_server(host: str, port: int, max_query_bytes: int) -> Any:
    """A Granian server whose workers share one listening socket, listening from the main
    process before any worker starts (as gunicorn does): connections wait in its queue until a
    worker takes them. On Linux Granian otherwise opens one socket per worker
    (``SO_REUSEPORT``) and listens once the worker has loaded the app: the port refuses
    connections until then, and the connections waiting on a worker that dies are reset with
    it."""
    import socket

    from granian.net import SocketSpec
    from granian.server import Server

    class SharedSocket(Server):  # type: ignore[misc, valid-type]
        def _init_shared_socket(self) -> None:  # Granian's own path on other systems
            self._ssp = None
            self._shd = SocketSpec(self.bind_addr, self.bind_port, self.backlog).build()
            self._sfd = self._shd.get_fd()
            self._sso = socket.socket(fileno=self._sfd)
            self._sso.set_inheritable(True)
            self._sso.listen(self.backlog)  # Granian's workers listen only once they start

    return SharedSocket("bclm_kg.web:create_app", **granian_options(host, port, max_query_bytes))


def _granian_worker_app(settings: dict[str, Any], _target: str) -> Any:
    """The app of one Granian worker, made in the worker as gunicorn's ``load`` does."""
    folder = os.environ.get(METRICS_ENV)
    if folder:
        forget_dead_workers(Path(folder))
    from . import create_app

    return create_app(settings)


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
    server = web_server()  # a bad setting stops the command before anything is built
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
    mode = f", taking submissions to {project.data_dir}" if tokens is not None else ""
    named = "; Granian" if server == "granian" else ""
    announced = f"Serving {served} at http://{host}:{port}/ (SPARQL: /sparql{named}){mode}"
    if server == "granian":
        granian = granian_server(host, port, int(resolve(settings)["MAX_QUERY_BYTES"]))
        _serve_forever(announced, release_dir, functools.partial(
            granian.serve, target_loader=functools.partial(_granian_worker_app, settings)))
        return
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

    _serve_forever(announced, release_dir, lambda: Server().run())


def _serve_forever(announcement: str, release_dir: Path, serve: Callable[[], Any]) -> None:
    """Say what is served, then run the HTTP server with the release directory and the metrics
    directory set for its workers."""
    print(announcement, file=sys.stderr)
    os.environ.setdefault("BCLM_RELEASE_DIR", str(release_dir))
    with metrics_directory():
        serve()


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
