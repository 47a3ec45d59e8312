"""The curated data's git history, through the ``git`` command."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from ..errors import BclmError
from .fsio import atomic_write

IMPORT_MESSAGE = "Import curated data"
SERVICE_IDENTITY = ("bclm-kg", "bclm-kg@localhost")
STATE_DIR = ".bclm"
TRAILERS = ("Submission", "Reason", "Source")
_FIELD, _RECORD = "\x1f", "\x1e"


class GitError(BclmError):
    """A git command failed; the message is git's own."""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    name, email = SERVICE_IDENTITY
    env.update({"GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email,
                "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"})
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(key, None)
    return env


def email_of(name: str) -> str:
    """A stable placeholder address for an author known only by name."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "curator"
    return f"{slug}@bclm-kg.localhost"


class History:
    """The git repository of a data directory (``DIR`` itself is its top level)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    def git(self, *args: str, input: bytes | None = None, check: bool = True,
            cwd: Path | None = None) -> str:
        result = subprocess.run(["git", *args], cwd=cwd or self.root, input=input,
                                capture_output=True, env=_env())
        if check and result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip()
            raise GitError(f"git {args[0]} in {self.root}: {message}")
        return result.stdout.decode("utf-8", "replace")

    # -- set up --------------------------------------------------------------------
    def is_repository(self) -> bool:
        return (self.root / ".git").exists()

    def ensure(self) -> None:
        """Start a repository with one import commit if ``DIR`` has none; keep the service's
        own folder out of it."""
        fresh = not self.is_repository()
        if fresh:
            self.git("init", "--quiet")
        exclude = self.root / ".git" / "info" / "exclude"
        exclude.parent.mkdir(parents=True, exist_ok=True)
        lines = exclude.read_text(encoding="utf-8").splitlines() if exclude.exists() else []
        if f"/{STATE_DIR}/" not in lines:
            exclude.write_text("\n".join([*lines, f"/{STATE_DIR}/"]) + "\n", encoding="utf-8")
        if fresh or self.head() is None:
            self.git("add", "--all")
            name, email = SERVICE_IDENTITY
            self.git("commit", "--quiet", "--allow-empty", "-m", IMPORT_MESSAGE,
                     f"--author={name} <{email}>")

    # -- reading ---------------------------------------------------------------------
    def head(self) -> str | None:
        out = self.git("rev-parse", "--verify", "--quiet", "HEAD", check=False).strip()
        return out or None

    def resolve(self, ref: str) -> str:
        """A full commit id from a full id or a prefix of at least 7 hex digits (KeyError)."""
        if not re.fullmatch(r"[0-9a-f]{7,40}", ref or ""):
            raise KeyError(f"change id {ref!r}: expected 7 to 40 hex digits")
        out = self.git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        if not out.strip():
            raise KeyError(f"no change {ref!r} in the history")
        return out.strip()

    def log(self, ref: str = "HEAD") -> list[dict[str, str]]:
        """Commits reachable from ``ref``, newest first: id, author, date, subject, trailers."""
        trailers = "".join(f"%(trailers:key={key},valueonly,separator=%x2C )" + _FIELD
                           for key in TRAILERS)
        fmt = _FIELD.join(("%H", "%an", "%aI", "%s")) + _FIELD + trailers + _RECORD
        out = self.git("log", f"--format={fmt}", ref)
        commits = []
        for record in out.split(_RECORD):
            fields = record.strip("\n").split(_FIELD)
            if len(fields) < 4:
                continue
            entry = dict(zip(("id", "author", "date", "message"), fields[:4], strict=True))
            for key, value in zip(TRAILERS, fields[4:], strict=False):
                entry[key.lower()] = value.strip() or None
            commits.append(entry)
        return commits

    def parent(self, commit: str) -> str | None:
        out = self.git("rev-parse", "--verify", "--quiet", f"{commit}^", check=False).strip()
        return out or None

    def diff(self, old: str | None, new: str) -> str:
        """The unified diff of the curated files from ``old`` (empty tree if None) to ``new``."""
        base = old or self.git("hash-object", "-t", "tree", "/dev/null").strip()
        return self.git("diff", "--no-color", "--no-ext-diff", base, new)

    def changed_files(self, old: str | None, new: str) -> list[str]:
        base = old or self.git("hash-object", "-t", "tree", "/dev/null").strip()
        return [f for f in self.git("diff", "--name-only", base, new).splitlines() if f]

    def show(self, commit: str, path: str) -> bytes | None:
        """A file's bytes at ``commit`` (None when it does not exist there)."""
        result = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=self.root,
                                capture_output=True, env=_env())
        return result.stdout if result.returncode == 0 else None

    def export(self, commit: str, dest: Path) -> None:
        """Write the tree of ``commit`` into the (empty) directory ``dest``."""
        dest.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=self.root,
                                 capture_output=True, env=_env(), check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)

    def count(self, key: str = "Submission", ref: str = "HEAD") -> int:
        """How many commits up to ``ref`` carry the trailer ``key``."""
        out = self.git("log", f"--format=%(trailers:key={key},valueonly)%x1e", ref)
        return sum(1 for record in out.split(_RECORD) if record.strip())

    # -- writing ---------------------------------------------------------------------
    def commit(self, files: list[str], author: str, message: str) -> str:
        """Commit ``files`` (paths relative to ``DIR``; removed files too) as ``author``."""
        self.git("add", "--all", "--", *files)
        self.git("commit", "--quiet", "--allow-empty", f"--author={author} <{email_of(author)}>",
                 "-F", "-", "--", *files, input=message.encode("utf-8"))
        return self.head() or ""

    def restore(self, files: list[str]) -> None:
        """Put ``files`` back as they are at HEAD (files HEAD does not have are removed)."""
        head = self.head()
        for rel in files:
            data = self.show(head, rel) if head else None
            path = self.root / rel
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(path, data)
        self.git("reset", "--quiet", "--", *files, check=False)
