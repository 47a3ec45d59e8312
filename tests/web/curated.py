"""A curating service for tests: a temporary copy of ``data/`` and of the session's release,
a token file with a curator and a submitter, and ``bclm-kg serve --tokens`` on loopback."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.web.conftest import TEST_ENV, LiveServer, free_port, start_server

ROOT = Path(__file__).resolve().parents[2]
CURATOR, SUBMITTER = "curator-secret-1", "submitter-secret-2"
SERVER_ENV = {**TEST_ENV, "BCLM_RATE_LIMIT_WRITES": "off", "BCLM_RATE_LIMIT_READS": "off",
              "BCLM_QUERY_TIMEOUT": "20", "BCLM_MAX_ROWS": "10000"}

STUDY_ROW = {"id": "smith-2025", "row": "", "part": "", "study": "Smith, et al.", "ref": "",
             "source": "doi:10.1234/abcd", "country": "美国", "year": "2025", "n": "40",
             "interventions": "HR", "median_os": "50", "os_3y": "60", "os_5y": "40",
             "favourable_factors": "—"}


def row(**cells: str) -> dict[str, str]:
    return {**STUDY_ROW, **cells}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Place:
    data: Path
    release: Path
    tokens: Path


def make_place(base: Path, release: Path) -> Place:
    """Copies of ``data/`` and of ``release`` under ``base``, and a token file."""
    data = base / "data"
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(release, base / "build")
    tokens = base / "tokens.toml"
    tokens.write_text(f'[tokens.alice]\nrole = "curator"\nsha256 = "{sha(CURATOR)}"\n\n'
                      f'[tokens.bob]\nrole = "submitter"\nsha256 = "{sha(SUBMITTER)}"\n')
    return Place(data, base / "build", tokens)


def serve(place: Place, *, new_session: bool = False) -> LiveServer:
    """``bclm-kg serve --data --release --tokens`` (two workers) on a free port."""
    port = free_port()
    command = [sys.executable, "-m", "bclm_kg.cli", "serve", "--data", str(place.data),
               "--release", str(place.release), "--tokens", str(place.tokens),
               "--host", "127.0.0.1", "--port", str(port)]
    if new_session:  # its own process group, so that a test can kill all of it at once
        return start_server(command, SERVER_ENV, port, start_new_session=True)
    return start_server(command, SERVER_ENV, port)


def tree_digest(data: Path, submissions: bool = True) -> str:
    """One digest of every curated file and the git HEAD, and (``submissions``) of the
    recorded submissions."""
    digest = hashlib.sha256()
    for path in sorted(p for p in data.rglob("*") if p.is_file()):
        parts = path.relative_to(data).parts
        if parts[0] == ".git" or (parts[0] == ".bclm" and (
                not submissions or parts[1] != "submissions")):
            continue
        digest.update(str(path.relative_to(data)).encode())
        digest.update(path.read_bytes())
    digest.update(git(data, "rev-parse", "HEAD").encode())
    return digest.hexdigest()


def git(data: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=data, capture_output=True, text=True,
                          check=True).stdout
