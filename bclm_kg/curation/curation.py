"""Curation of the graph: submissions through the gate, committed to the data's git history
and published as a new release in one durable step; pending submissions, the history, its
diffs and reverts."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from .. import __version__
from ..build import build_graphs, write_built
from ..formats import by_name
from ..project import Project
from ..release import Release, canonical, current_release, publish, sorted_ntriples, union
from . import body as body_module
from . import gate
from .fsio import atomic_write, remove
from .history import History
from .journal import Journal
from .model import Author, Change, ChangeDetail, Submission
from .report import GateReport, InvalidSubmission, SubmissionStateError
from .store import StateDir, new_submission_id

NTRIPLES = by_name("ntriples", "graph")


def checkpoint(step: str) -> None:
    """A point between two steps of a commit (crash tests stop here); does nothing."""


def version_for(commits: int) -> str:
    """The dataset version after ``commits`` accepted changes (PEP 440 local version)."""
    return __version__ if commits == 0 else f"{__version__}+{commits}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Curation:
    """The curated data directory of a project, its history, and the releases built from it."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.data_dir = Path(project.data_dir).resolve()
        self.release_root = Path(project.release_dir).resolve()
        self.history = History(self.data_dir)
        self.state = StateDir(self.data_dir)

    @classmethod
    def open(cls, project: Project) -> Curation:
        """Open ``DIR`` for curation: start its git history if it has none, and finish or roll
        back a commit a crash interrupted."""
        curation = cls(project)
        if not curation.data_dir.is_dir():
            raise FileNotFoundError(f"{curation.data_dir}: no such data directory")
        curation.state.ensure()
        with curation.state.locked():
            curation.history.ensure()
            curation._recover()
        return curation

    # -- reading -----------------------------------------------------------------------
    @property
    def version(self) -> str:
        """The dataset version of the last commit (the one the current release carries)."""
        return version_for(self.history.count())

    def submission(self, sid: str) -> Submission:
        return self.state.load(sid)

    def submissions(self, state: str | None = None) -> list[Submission]:
        return [s for s in self.state.all() if state is None or s.state == state]

    def changes(self) -> list[Change]:
        """Every commit of the history, newest first, with the version it made."""
        log = self.history.log()
        versions = self._versions(log)
        return [self._change(entry, versions[entry["id"]]) for entry in log]

    def change(self, cid: str) -> ChangeDetail:
        """One change: its diff of the curated files and the triples it added and removed."""
        full = self.history.resolve(cid)
        log = self.history.log(full)
        versions = self._versions(log)
        parent = self.history.parent(full)
        before = self._triples(parent, versions.get(parent)) if parent else set()
        after = self._triples(full, versions[full])
        return ChangeDetail(self._change(log[0], versions[full]),
                            self.history.changed_files(parent, full),
                            self.history.diff(parent, full),
                            sorted(after - before), sorted(before - after))

    @staticmethod
    def _versions(log: list[dict]) -> dict[str, str]:
        versions, count = {}, 0
        for entry in reversed(log):
            count += 1 if entry.get("submission") else 0
            versions[entry["id"]] = version_for(count)
        return versions

    @staticmethod
    def _change(entry: dict, version: str) -> Change:
        return Change(entry["id"], entry["author"], entry["date"], entry["message"], version,
                      entry.get("submission"), entry.get("reason"), entry.get("source"))

    def _triples(self, commit: str, version: str | None) -> set[str]:
        """The N-Triples lines of the release built from ``commit``: the published version's
        file when it is kept, else a build of that commit (cached in ``DIR/.bclm/cache``)."""
        if version:
            release = Release(self.release_root / "versions" / version)
            if release.exists() and release.manifest().get("commit") == commit:
                return _lines(release.file(NTRIPLES).read_bytes())
        cache = self.state.root / "cache" / f"{commit}.nt"
        if not cache.is_file():
            with tempfile.TemporaryDirectory(dir=self.state.root) as tmp:
                tree = Path(tmp) / "data"
                self.history.export(commit, tree)
                built = build_graphs(tree)
            cache.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(cache, sorted_ntriples(union(
                {iri: canonical(graph) for iri, graph in built.graphs.items()})))
        return _lines(cache.read_bytes())

    # -- the gate ----------------------------------------------------------------------
    def check(self, body: Mapping) -> GateReport:
        """Validate a submission against the current data; commits nothing."""
        try:
            changes = body_module.parse(body, self.data_dir)
        except body_module.BodyError as exc:
            return GateReport(problems=exc.problems)
        with tempfile.TemporaryDirectory(dir=self.state.root, prefix="check-") as tmp:
            staged = self._gate(changes, Path(tmp))
            return staged.report

    def _gate(self, changes: body_module.ChangeSet, tmp: Path) -> gate.Staged:
        staged = gate.apply(changes, gate.stage(self.data_dir, tmp / "data"), self.history)
        return gate.build(staged)

    # -- writing -------------------------------------------------------------------------
    def submit(self, body: Mapping, author: Author, source: str | None = None) -> Submission:
        """A curator's valid submission is committed at once, a submitter's waits (pending);
        an invalid one raises InvalidSubmission and changes nothing but its own record."""
        record = Submission(new_submission_id(), "pending", author.name, author.role,
                            dict(body) if isinstance(body, Mapping) else {}, _now(),
                            source or _source(body))
        with self.state.locked():
            self._recover()
            changes = self._parse(record, body)
            if author.is_curator:
                return self._commit(record, changes)
            with tempfile.TemporaryDirectory(dir=self.state.root, prefix="check-") as tmp:
                report = self._gate(changes, Path(tmp)).report
            if not report.conforms:
                self._refuse(record, report)
            self.state.save(record)
            return record

    def approve(self, sid: str, author: Author) -> Submission:
        """Commit a pending submission (curators only), through the gate again."""
        _curator(author, "approve")
        with self.state.locked():
            self._recover()
            record = self._pending(sid)
            record.decided_by = author.name
            return self._commit(record, self._parse(record))

    def reject(self, sid: str, author: Author, reason: str) -> Submission:
        """Refuse a pending submission (curators only), with a reason."""
        _curator(author, "reject")
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError("a rejection needs a reason")
        with self.state.locked():
            record = self._pending(sid)
            record.state, record.reason, record.decided_by = "rejected", reason.strip(), \
                author.name
            record.updated = _now()
            self.state.save(record)
            return record

    def revert(self, cid: str, author: Author, reason: str) -> Submission:
        """A new change that undoes one (through the same gate, like any submission)."""
        full = self.history.resolve(cid)
        subject = self.history.log(full)[0]["message"]
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError("a revert needs a reason")
        return self.submit({"revert": full, "note": f"Revert {full[:12]}: {subject}",
                            "reason": reason.strip()}, author)

    def _pending(self, sid: str) -> Submission:
        record = self.state.load(sid)
        if record.state != "pending":
            raise SubmissionStateError(f"submission {sid} is {record.state}, not pending")
        return record

    def _parse(self, record: Submission, body: object = None) -> body_module.ChangeSet:
        try:
            return body_module.parse(record.body if body is None else body, self.data_dir)
        except body_module.BodyError as exc:
            self._refuse(record, GateReport(problems=exc.problems))
            raise  # unreachable: _refuse raises

    def _refuse(self, record: Submission, report: GateReport) -> None:
        """Record the submission as invalid and raise; one refused on approval (the data
        moved since) stays pending, with the report."""
        if record.decided_by is None:
            record.state = "invalid"
        record.decided_by = None
        record.report, record.updated = report.to_json(), _now()
        self.state.save(record)
        raise InvalidSubmission(report, record.id)

    def _commit(self, record: Submission, changes: body_module.ChangeSet) -> Submission:
        """The one durable step, under the lock: journal → staged copy → build → files →
        git commit → publish → journal removed. Any failure rolls back."""
        journal = Journal(record.id, self.history.head(), version_for(self.history.count() + 1),
                          previous_state="pending" if record.decided_by else None)
        journal.save(self.state.journal_file)
        record.updated = _now()
        self.state.save(record)
        checkpoint("begin")
        tmp = Path(tempfile.mkdtemp(dir=self.state.root, prefix=f"stage-{record.id}-"))
        try:
            staged = self._gate(changes, tmp)
            if staged.built is None:
                self._rollback(journal)
                self._refuse(record, staged.report)
            target = self.release_root / f".staged-{record.id}"
            write_built(target, staged.built, journal.version)
            journal.step, journal.files = "built", sorted(staged.changed)
            journal.staged_release = str(target)
            journal.save(self.state.journal_file)
            checkpoint("built")
            for rel in journal.files:
                source, dest = staged.data_dir / rel, self.data_dir / rel
                if source.exists():
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    atomic_write(dest, source.read_bytes())
                else:
                    remove(dest)
            journal.step = "files"
            journal.save(self.state.journal_file)
            checkpoint("files")
            commit = self.history.commit(journal.files, record.decided_by or record.author,
                                         _message(record, changes))
            journal.step, journal.commit = "committed", commit
            journal.save(self.state.journal_file)
            checkpoint("committed")
            self._finish(journal)
        except InvalidSubmission:
            raise
        except Exception:
            if journal.step != "committed":
                self._rollback(journal)
                self._interrupted(journal)
            raise  # once committed, the journal stays: the next writer or open finishes it
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return self.state.load(record.id)

    # -- finishing and rolling back ------------------------------------------------------
    def _finish(self, journal: Journal) -> None:
        """Publish the release of a commit that is in git, record the submission committed
        and remove the journal."""
        commit = journal.commit or self.history.head() or ""
        staged = Path(journal.staged_release) if journal.staged_release else None
        published = Release(self.release_root / "versions" / journal.version)
        if (staged is None or not Release(staged).exists()) and published.exists() \
                and published.manifest().get("commit") == commit:
            staged = published.path  # moved already: only the switch may be missing
        if staged is None or not Release(staged).exists():
            staged = self.release_root / f".staged-{journal.submission}"
            shutil.rmtree(staged, ignore_errors=True)
            write_built(staged, build_graphs(self.data_dir), journal.version)
        _stamp(staged, commit)
        publish(self.release_root, staged, journal.version)
        checkpoint("published")
        record = self.state.load(journal.submission)
        record.state, record.commit, record.version = "committed", commit, journal.version
        record.report, record.updated = None, _now()
        self.state.save(record)
        Journal.clear(self.state.journal_file)

    def _rollback(self, journal: Journal) -> None:
        """Put the curated files back as HEAD has them and drop the staged release."""
        if journal.files:
            self.history.restore(journal.files)
        if journal.staged_release:
            shutil.rmtree(journal.staged_release, ignore_errors=True)
        Journal.clear(self.state.journal_file)

    def _recover(self) -> None:
        """Finish or roll back the commit a journal left behind; clear leftovers."""
        (self.data_dir / ".git" / "index.lock").unlink(missing_ok=True)  # we hold the lock
        journal = Journal.load(self.state.journal_file)
        if journal is not None:
            head = self.history.head()
            landed = head != journal.parent and head is not None and \
                self.history.log(head)[0].get("submission") == journal.submission
            if landed:
                journal.commit = head
                self._finish(journal)
            else:
                self._rollback(journal)
                self._interrupted(journal)
        for leftover in self.state.root.glob("stage-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        for leftover in self.release_root.glob(".staged-*") if self.release_root.is_dir() else ():
            shutil.rmtree(leftover, ignore_errors=True)

    def _interrupted(self, journal: Journal) -> None:
        try:
            record = self.state.load(journal.submission)
        except KeyError:
            return
        if journal.previous_state == "pending":
            record.decided_by = None  # it waits for approval again
        else:
            record.state, record.reason = "rejected", "interrupted before its commit; rolled back"
        record.updated = _now()
        self.state.save(record)

    def current_release(self) -> Path:
        return current_release(self.release_root)


def _lines(data: bytes) -> set[str]:
    return {line for line in data.decode("utf-8").splitlines() if line.strip()}


def _stamp(release: Path, commit: str | None) -> None:
    """Record the commit a release was built from in its manifest (``commit``)."""
    manifest = Release(release).manifest_file
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["commit"] = commit
    atomic_write(manifest, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())


def _source(body: Mapping) -> str | None:
    value = body.get("source") if isinstance(body, Mapping) else None
    return value if isinstance(value, str) else None


def _curator(author: Author, action: str) -> None:
    if not author.is_curator:
        raise PermissionError(f"only a curator may {action} a submission ({author.name} is a "
                              f"{author.role})")


def _message(record: Submission, changes: body_module.ChangeSet) -> str:
    """The commit message: the note, then the trailers."""
    lines = changes.note.strip().splitlines() or ["Curated change"]
    trailers = [f"Submission: {record.id}"]
    if changes.reason:
        trailers.append(f"Reason: {changes.reason}")
    if record.source or changes.source:
        trailers.append(f"Source: {record.source or changes.source}")
    if record.decided_by and record.decided_by != record.author:
        trailers.append(f"Submitted-by: {record.author}")
    return "\n".join([lines[0], *([""] + lines[1:] if lines[1:] else []), "", *trailers]) + "\n"

