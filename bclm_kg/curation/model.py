"""What curation hands back: who acts, a submission and its state, a change of the history."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ROLES = ("curator", "submitter")
STATES = ("pending", "committed", "rejected", "invalid")


@dataclass(frozen=True)
class Author:
    """Who acts: the token's name and its role (``curator`` or ``submitter``)."""

    name: str
    role: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role {self.role!r}: must be one of {', '.join(ROLES)}")
        if not self.name or any(c in self.name for c in "<>\n\r"):
            raise ValueError(f"author name {self.name!r}: must be non-empty, without <, > or "
                             "line breaks")

    @property
    def is_curator(self) -> bool:
        return self.role == "curator"


@dataclass
class Submission:
    """A submission and its state (stored as ``DIR/.bclm/submissions/<id>.json``).

    ``commit`` and ``version`` are set once committed; ``reason`` and ``decided_by`` once
    rejected (or approved); ``report`` holds the gate's report of an invalid one."""

    id: str
    state: str
    author: str
    role: str
    body: dict[str, Any]
    created: str
    source: str | None = None
    updated: str | None = None
    commit: str | None = None
    version: str | None = None
    decided_by: str | None = None
    reason: str | None = None
    report: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Submission:
        return cls(**{key: data.get(key) for key in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Change:
    """One commit of the curated data's history."""

    id: str
    author: str
    date: str
    message: str
    version: str
    submission: str | None = None
    reason: str | None = None
    source: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ChangeDetail:
    """A change with its diff of the curated files and the triples it added and removed
    (N-Triples lines, sorted), between the release before it and the release after it."""

    change: Change
    files: list[str]
    diff: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {**self.change.to_json(), "files": self.files, "diff": self.diff,
                "triples": {"added": self.added, "removed": self.removed}}
