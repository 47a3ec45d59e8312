"""Durable writes: a file is written beside its target, flushed, renamed over it, and its
directory flushed, so a crash leaves the old or the new content, never a mix."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..release import fsync_path


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` atomically and durably (the parent must exist)."""
    path = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(name, path.stat().st_mode & 0o777)
        else:
            os.chmod(name, 0o644)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    fsync_path(path.parent)


def write_json(path: Path, data: Any) -> None:
    atomic_write(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def read_json(path: Path) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def remove(path: Path) -> None:
    """Remove a file (if there) and flush its directory."""
    path = Path(path)
    if path.exists():
        path.unlink()
        fsync_path(path.parent)
