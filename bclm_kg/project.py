"""Where this run's curated data, release and query store live.

Resolved once, by the command line from its options or by the WSGI entry point, in this order:
an explicit option, then a ``BCLM_*`` environment variable, then a default:

* data: ``./data`` when the working directory is a checkout (it holds ``data/review.yaml``),
  otherwise the data the package was released with;
* release: ``./build`` when it holds a release or when the data is the checkout's; otherwise
  the release shipped in the wheel, if there is one; otherwise ``./build`` (built on demand);
* store: ``memory`` (the default), ``oxigraph:PATH`` (an on-disk Oxigraph store; a bare
  directory means the same) or ``sparql:URL`` (a remote SPARQL 1.1 endpoint holding the
  release's named graphs).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import resources
from .release import Release

ENV_DATA = "BCLM_DATA_DIR"
ENV_RELEASE = "BCLM_RELEASE_DIR"
ENV_STORE = "BCLM_STORE"
DEFAULT_RELEASE = Path("build")
DATA_MARKER = "review.yaml"


@dataclass(frozen=True)
class Project:
    """The three places a command works with; all paths absolute."""

    data_dir: Path
    release_dir: Path
    store_path: Path | None = None
    store_url: str | None = None  # a remote SPARQL endpoint instead of an embedded store

    @property
    def release(self) -> Release:
        return Release(self.release_dir)

    @property
    def bundled_data(self) -> bool:
        """Whether the data is the copy shipped inside the package."""
        return _same(self.data_dir, resources.data_dir())

    @classmethod
    def resolve(cls, data: Path | str | None = None, release: Path | str | None = None,
                store: Path | str | None = None, *, shipped_release: bool = True,
                env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Project:
        """Options first, then ``BCLM_DATA_DIR`` / ``BCLM_RELEASE_DIR`` / ``BCLM_STORE``,
        then the defaults described in the module docstring. ``shipped_release=False`` is
        for writers: the release shipped inside the package is never a default for them."""
        env = os.environ if env is None else env
        cwd = (cwd or Path.cwd()).resolve()
        data = data or env.get(ENV_DATA) or None
        release = release or env.get(ENV_RELEASE) or None
        store = store or env.get(ENV_STORE) or None
        data_dir = _absolute(data, cwd) if data else _default_data(cwd)
        if release:
            release_dir = _absolute(release, cwd)
        elif shipped_release:
            release_dir = _default_release(cwd, data_dir)
        else:
            release_dir = (cwd / DEFAULT_RELEASE).resolve()
        store_path, store_url = parse_store(str(store) if store else None, cwd)
        return cls(data_dir, release_dir, store_path, store_url)


def parse_store(setting: str | None, cwd: Path | None = None) -> tuple[Path | None, str | None]:
    """``memory`` / ``oxigraph:PATH`` / ``sparql:URL`` (or a bare directory) as
    (on-disk store path, remote endpoint URL); ValueError names a setting it cannot read."""
    cwd = cwd or Path.cwd()
    if not setting or setting == "memory":
        return None, None
    kind, _, rest = setting.partition(":")
    if kind == "sparql":
        if not rest.startswith(("http://", "https://")):
            raise ValueError(f"store {setting!r}: sparql: must be followed by an http(s) URL, "
                             "e.g. sparql:http://127.0.0.1:7878/query")
        return None, rest
    if kind == "oxigraph":
        if not rest:
            raise ValueError(f"store {setting!r}: oxigraph: must be followed by a directory")
        return _absolute(rest, cwd), None
    return _absolute(setting, cwd), None


def _absolute(path: Path | str, cwd: Path) -> Path:
    path = Path(path).expanduser()
    return (path if path.is_absolute() else cwd / path).resolve()


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _default_data(cwd: Path) -> Path:
    local = cwd / "data"
    return local.resolve() if (local / DATA_MARKER).is_file() else resources.data_dir().resolve()


def _default_release(cwd: Path, data_dir: Path) -> Path:
    local = cwd / DEFAULT_RELEASE
    if Release(local).exists() or not _same(data_dir, resources.data_dir()):
        return local
    shipped = resources.release_dir()
    return shipped.resolve() if Release(shipped).exists() else local
