"""The token file of a curating service: who may write, and in which role.

A TOML file with one table per token, keyed by the name that signs its commits::

    [tokens.alice]
    role = "curator"          # or "submitter"
    sha256 = "9f86d081…"      # the hex SHA-256 of the token; the token itself is never stored

A presented token is hashed and compared with every entry in constant time
(:func:`hmac.compare_digest`), so neither the answer nor its timing tells how close a guess was.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .curation.model import ROLES, Author
from .errors import BclmError

HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")
KEYS = {"role", "sha256"}


class TokenFileError(BclmError):
    """The token file cannot be read or one of its entries is wrong (the message says which)."""


@dataclass(frozen=True)
class Token:
    name: str
    role: str
    sha256: str  # lower-case hex


def digest(token: str) -> str:
    """The hex SHA-256 of a token, as the token file records it."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Tokens:
    """The entries of a token file."""

    path: Path
    entries: tuple[Token, ...]

    def __len__(self) -> int:
        return len(self.entries)

    @classmethod
    def load(cls, path: Path | str) -> Tokens:
        """Read and check a token file; TokenFileError names the file, the token and what is
        wrong with it."""
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise TokenFileError(f"{path}: cannot read the token file: "
                                 f"{exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise TokenFileError(f"{path}: the token file is not UTF-8 text") from exc
        except tomllib.TOMLDecodeError as exc:
            raise TokenFileError(f"{path}: not valid TOML: {exc}") from exc
        extra = sorted(set(data) - {"tokens"})
        if extra:
            raise TokenFileError(f"{path}: unknown table or key {extra[0]!r}; the file holds "
                                 "[tokens.NAME] tables only")
        tables = data.get("tokens")
        if not isinstance(tables, dict) or not tables:
            raise TokenFileError(f"{path}: no tokens; add at least one [tokens.NAME] table with "
                                 "role and sha256")
        entries = [_entry(path, name, table) for name, table in tables.items()]
        seen: dict[str, str] = {}
        for entry in entries:
            if entry.sha256 in seen:
                raise TokenFileError(f"{path}: token {entry.name!r}: the same sha256 as token "
                                     f"{seen[entry.sha256]!r}; every token must differ")
            seen[entry.sha256] = entry.name
        return cls(path, tuple(entries))

    def author(self, presented: str) -> Author | None:
        """Who ``presented`` belongs to, or None; every entry is compared, in constant time."""
        wanted = digest(presented)
        found = None
        for entry in self.entries:
            if hmac.compare_digest(wanted, entry.sha256):
                found = entry
        return Author(found.name, found.role) if found else None


def _entry(path: Path, name: str, table: object) -> Token:
    where = f"{path}: token {name!r}"
    if not isinstance(table, dict):
        raise TokenFileError(f"{where}: must be a table ([tokens.{name}]) with role and sha256")
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise TokenFileError(f"{where}: unknown key {unknown[0]!r} (expected role and sha256)")
    role, hexdigest = table.get("role"), table.get("sha256")
    if role not in ROLES:
        raise TokenFileError(f"{where}: role must be \"curator\" or \"submitter\", got "
                             f"{role!r}")
    if not isinstance(hexdigest, str) or not HEX64.match(hexdigest):
        raise TokenFileError(f"{where}: sha256 must be the 64 hex digits of the token's "
                             "SHA-256 (e.g. printf %s TOKEN | sha256sum), not the token itself")
    try:
        Author(name, role)
    except ValueError as exc:
        raise TokenFileError(f"{where}: {exc}") from exc
    return Token(name, role, hexdigest.lower())
