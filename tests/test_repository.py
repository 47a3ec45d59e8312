"""The repository names no path of a particular machine: no tracked file holds an absolute path
of a development machine (a home or work directory). System paths such as ``/usr/bin`` are fine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Built from pieces so that this file does not match itself.
SLASH, BACKSLASH = "/", "\\"
MACHINE_DIRS = ["work", "root", "Users"]
MACHINE_PATH = re.compile(
    r"(?<![\w.~-])"  # not inside a word, a host name or a relative path
    + "(?:"
    + "|".join([
        re.escape(SLASH) + "(?:" + "|".join(MACHINE_DIRS) + ")" + re.escape(SLASH),
        re.escape(SLASH) + "home" + re.escape(SLASH) + r"[\w.-]+",
        "[A-Za-z]:" + re.escape(BACKSLASH) + "+" + "Users" + re.escape(BACKSLASH),
    ])
    + ")")


def tracked_files() -> list[Path]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the tracked files cannot be listed")
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode("utf-8")
    return [ROOT / name for name in listing.split("\0") if name]


def machine_paths(text: str) -> list[tuple[int, str]]:
    """(line number, match) of every absolute machine path in ``text``."""
    return [(text.count("\n", 0, m.start()) + 1, m.group(0)) for m in MACHINE_PATH.finditer(text)]


@pytest.mark.parametrize(("text", "found"), [
    ("see " + SLASH + "work" + SLASH + "shared/x.ttl", True),
    ("cd " + SLASH + "root" + SLASH + ".cache", True),
    ("open " + SLASH + "home" + SLASH + "alice/notes", True),
    ("open " + SLASH + "Users" + SLASH + "alice/notes", True),
    ("C:" + BACKSLASH * 2 + "Users" + BACKSLASH * 2 + "alice", True),
    ("C:" + BACKSLASH + "Users" + BACKSLASH + "alice", True),
    ("executable " + SLASH + "usr/bin/chromium", False),
    ("https://example.org" + SLASH + "work" + SLASH + "1", False),
    ("a relative ../work" + SLASH + "x or tests" + SLASH + "root" + SLASH + "y", False),
])
def test_pattern(text: str, found: bool) -> None:
    assert bool(machine_paths(text)) is found


def test_no_tracked_file_holds_a_machine_path() -> None:
    offenders = []
    for path in tracked_files():
        if not path.is_file():  # deleted in the work tree, not yet committed
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        offenders += [f"{path.relative_to(ROOT)}:{line}: {match}"
                      for line, match in machine_paths(text)]
    assert offenders == [], "absolute paths of a development machine:\n" + "\n".join(offenders)
