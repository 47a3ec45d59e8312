"""The service's own state beside the curated files (``DIR/.bclm/``): the writer's lock, the
journal of the commit in progress and every submission with its state."""

from __future__ import annotations

import fcntl
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .fsio import read_json, write_json
from .history import STATE_DIR
from .model import Submission

SUBMISSION_ID = re.compile(r"^sub-[0-9a-f]{12}$")


def new_submission_id() -> str:
    return f"sub-{secrets.token_hex(6)}"


class StateDir:
    """``DIR/.bclm``: ``lock``, ``journal.json``, ``submissions/<id>.json``."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / STATE_DIR
        self.submissions_dir = self.root / "submissions"
        self.journal_file = self.root / "journal.json"
        self.lock_file = self.root / "lock"

    def ensure(self) -> None:
        self.submissions_dir.mkdir(parents=True, exist_ok=True)
        self.lock_file.touch(exist_ok=True)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One writer at a time, across threads, processes and workers (an fcntl lock)."""
        with open(self.lock_file, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- submissions ---------------------------------------------------------------------
    def _path(self, sid: str) -> Path:
        if not SUBMISSION_ID.match(sid or ""):
            raise KeyError(f"submission id {sid!r}: expected sub- and 12 hex digits")
        return self.submissions_dir / f"{sid}.json"

    def save(self, submission: Submission) -> None:
        write_json(self._path(submission.id), submission.to_json())

    def load(self, sid: str) -> Submission:
        path = self._path(sid)
        if not path.is_file():
            raise KeyError(f"no submission {sid}")
        return Submission.from_json(read_json(path))

    def all(self) -> list[Submission]:
        return [Submission.from_json(read_json(p))
                for p in sorted(self.submissions_dir.glob("sub-*.json"))]
