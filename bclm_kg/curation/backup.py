"""Backup and restore of a curated deployment: the git history (a bundle), the submissions
and the current release, in one directory."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from ..errors import BclmError
from ..project import Project
from ..release import Release, current_release, fsync_tree, publish
from .fsio import read_json, write_json
from .history import History
from .store import StateDir

BUNDLE = "history.bundle"
SUBMISSIONS = "submissions"
RELEASE = "release"
MANIFEST = "backup.json"


class BackupError(BclmError):
    """A backup cannot be written or restored (the message says where and why)."""


def _empty_or_absent(path: Path, what: str) -> None:
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BackupError(f"{path}: the {what} must be an empty or new directory")


def backup(project: Project, dest: Path) -> dict:
    """Write the history, the submissions and the current release into ``dest`` (empty or
    new); returns the backup's manifest."""
    from .curation import Curation

    dest = Path(dest).resolve()
    _empty_or_absent(dest, "backup destination")
    curation = Curation.open(project)
    release = Release(current_release(curation.release_root))
    if not release.exists():
        raise BackupError(f"{release.path}: no release to back up (run bclm-kg build)")
    dest.mkdir(parents=True, exist_ok=True)
    with curation.state.locked():  # a consistent snapshot: no commit in between
        curation.history.git("bundle", "create", "--quiet", str(dest / BUNDLE), "HEAD",
                             "--branches", "--tags")
        shutil.copytree(curation.state.submissions_dir, dest / SUBMISSIONS)
        shutil.copytree(release.path, dest / RELEASE)
        manifest = {"version": release.manifest().get("version"),
                    "commit": curation.history.head(),
                    "created": datetime.now(UTC).isoformat(timespec="seconds")}
        write_json(dest / MANIFEST, manifest)
    fsync_tree(dest)
    return manifest


def restore(src: Path, project: Project) -> dict:
    """Restore a backup into an empty data directory and an empty release root."""
    src = Path(src).resolve()
    data_dir, release_root = Path(project.data_dir).resolve(), Path(project.release_dir).resolve()
    for name in (MANIFEST, BUNDLE, RELEASE):
        if not (src / name).exists():
            raise BackupError(f"{src}: not a backup (no {name})")
    _empty_or_absent(data_dir, "data directory to restore into")
    _empty_or_absent(release_root, "release directory to restore into")
    manifest = read_json(src / MANIFEST)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    if data_dir.exists():
        data_dir.rmdir()
    cloned = subprocess.run(["git", "clone", "--quiet", str(src / BUNDLE), str(data_dir)],
                            capture_output=True)
    if cloned.returncode != 0:
        raise BackupError(f"{src / BUNDLE}: {cloned.stderr.decode('utf-8', 'replace').strip()}")
    history = History(data_dir)
    history.git("remote", "remove", "origin", check=False)
    history.ensure()
    state = StateDir(data_dir)
    state.ensure()
    for path in sorted((src / SUBMISSIONS).glob("sub-*.json")):
        shutil.copy2(path, state.submissions_dir / path.name)
    if history.head() != manifest.get("commit"):
        raise BackupError(f"{src}: the history's last commit {history.head()} is not the "
                          f"backup's {manifest.get('commit')}")
    release_root.mkdir(parents=True, exist_ok=True)
    staged = release_root / ".staged-restore"
    shutil.copytree(src / RELEASE, staged)
    if (damaged := Release(staged).damaged_file()) is not None:
        shutil.rmtree(staged, ignore_errors=True)
        raise BackupError(f"{damaged}: does not match the checksum in the backup's release.json")
    publish(release_root, staged, str(manifest.get("version")))
    fsync_tree(data_dir)
    return manifest
