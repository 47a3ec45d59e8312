"""``bclm-kg serve``: build the release if there is none, then serve it with gunicorn.

Two gunicorn workers with a few threads each (every worker has its own store and query
pool); Werkzeug's development server is used only where gunicorn cannot run.
"""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path
from typing import Any

from ..store import TRIG_NAME

WORKERS = 2
THREADS = 4


def prepare_release(release_dir: Path) -> Path:
    """Build the release into ``release_dir`` unless one is there (one builder at a time)."""
    release_dir = Path(release_dir)
    if (release_dir / TRIG_NAME).is_file():
        return release_dir
    release_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(release_dir.parent / f".{release_dir.name}.build-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (release_dir / TRIG_NAME).is_file():
            from ..build import ensure_release
            from ..errors import BclmError
            from ..progress import ConsoleReporter

            print(f"No release in {release_dir}: building it first…", file=sys.stderr)
            reporter = ConsoleReporter()
            try:
                ensure_release(release_dir, report=reporter)
            except BclmError as exc:
                reporter.fail(str(exc))
                sys.exit(1)
    return release_dir


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
    }


def run(host: str = "127.0.0.1", port: int = 8000, store_path: Path | None = None,
        release_dir: Path = Path("build")) -> None:
    """Serve the release in ``release_dir`` on ``host:port`` until interrupted."""
    release_dir = prepare_release(Path(release_dir).resolve())
    settings: dict[str, Any] = {"RELEASE_DIR": release_dir}
    if store_path is not None:
        settings["STORE_PATH"] = Path(store_path).resolve()
        _load_disk_store(release_dir, settings["STORE_PATH"])
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
    Server().run()


def _load_disk_store(release_dir: Path, store_path: Path) -> None:
    """Fill the on-disk store once before the workers open it read-only."""
    from ..store import StoreSpec

    StoreSpec(trig=release_dir / TRIG_NAME, path=store_path).open()
