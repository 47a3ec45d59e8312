"""The journal of the commit in progress (``DIR/.bclm/journal.json``).

A commit writes it before anything else and updates it at each step: ``begin`` (the
submission, the HEAD it starts from, the version it will make), ``built`` (the staged
release and the curated files it will write), ``files`` (they are written), ``committed``
(the git commit). It is removed once the release is published. On open, a journal left
behind is finished when its commit is in git, otherwise rolled back."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from .fsio import read_json, remove, write_json

STEPS = ("begin", "built", "files", "committed")


@dataclass
class Journal:
    submission: str
    parent: str | None
    version: str
    step: str = "begin"
    files: list[str] = field(default_factory=list)
    staged_release: str | None = None
    commit: str | None = None
    previous_state: str | None = None  # the submission's state before (pending, or new)

    def save(self, path: Path) -> None:
        write_json(path, asdict(self))

    @classmethod
    def load(cls, path: Path) -> Journal | None:
        if not Path(path).is_file():
            return None
        data = read_json(path)
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__ if k in data})

    @staticmethod
    def clear(path: Path) -> None:
        remove(path)
