"""Compare a registry record with what the graph holds for its trial, and propose the changes as
a submission (the format of ``bclm_kg.curation``): corrections of the trial's item in
``narrative/evidence.yaml`` ``trials``, with the record as the source."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BclmError
from ..ingest.sections.registry_snapshot import KEYS as REGISTRY_KEYS
from ..ingest.sections.registry_snapshot import LAST_UPDATE
from ..ingest.tsv_source import read_tsv
from ..ingest.yaml_source import read_yaml
from .record import RegistryRecord

EVIDENCE = "narrative/evidence.yaml"
SECTION = "trials"
CTGOV_REGISTRY = "clinicaltrials-gov"
TABLES = ("tables/table1.tsv", "tables/table2.tsv")


class UnknownTrial(BclmError):
    """A record of a trial that is not in the graph."""


class StaleRecord(BclmError):
    """A record older than the one the graph was last updated from."""


@dataclass(frozen=True)
class Change:
    key: str
    old: Any
    new: Any

    def line(self) -> str:
        old = "(none)" if self.old is None else _show(self.old)
        new = "(removed: the record no longer gives it)" if self.new is None else _show(self.new)
        return f"{self.key}: {old} → {new}"


@dataclass(frozen=True)
class Proposal:
    """What a record changes in the graph; ``changes`` is empty when the graph agrees."""

    record: RegistryRecord
    graph_last_update: str | None
    changes: tuple[Change, ...]

    @property
    def empty(self) -> bool:
        return not self.changes

    def reason(self) -> str:
        return (f"ClinicalTrials.gov record {self.record.nct_id}, last updated "
                f"{self.record.last_update}: " + "; ".join(c.line() for c in self.changes))

    def body(self) -> dict[str, Any]:
        """The submission: one correction of the trial's item, sourced from the record."""
        if self.empty:
            raise ValueError("nothing to propose")
        cells: dict[str, Any] = {LAST_UPDATE: self.record.last_update,
                                 **{c.key: c.new for c in self.changes}}
        return {
            "file": EVIDENCE,
            "section": SECTION,
            "corrections": [{"id": self.record.nct_id, "cells": cells,
                             "reason": self.reason()}],
            "note": f"{self.record.nct_id}: ClinicalTrials.gov record of "
                    f"{self.record.last_update}",
            "source": self.record.url,
        }

    def text(self) -> str:
        """A readable account for the command line."""
        head = (f"{self.record.nct_id}: ClinicalTrials.gov record last updated "
                f"{self.record.last_update} ({self.record.url}); the graph's registry facts "
                + (f"are from the record of {self.graph_last_update}" if self.graph_last_update
                   else "are none yet"))
        if self.empty:
            return head + "\nnothing to change: the graph agrees with the record"
        return "\n".join([head, "proposed:", *(f"  {c.line()}" for c in self.changes)])


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _plain(value: Any) -> Any:
    """A YAML value as the record would give it (dates as ISO text)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    return value


def graph_trials(data_dir: Path) -> dict[str, dict[str, Any]]:
    """The graph's ClinicalTrials.gov trials: id → the keys of its item in ``trials``."""
    doc = read_yaml(data_dir / EVIDENCE)
    items = doc.get(SECTION) if isinstance(doc, dict) else None
    trials: dict[str, dict[str, Any]] = {}
    for item in items or []:
        if isinstance(item, dict) and item.get("registry") == CTGOV_REGISTRY:
            trials[str(item.get("id"))] = {k: _plain(v) for k, v in item.items()}
    return trials


def _table_of(trial_id: str, data_dir: Path) -> str | None:
    """The table file that has a row for ``trial_id``, if any."""
    for table in TABLES:
        path = data_dir / table
        if path.is_file() and any(row.get("id") == trial_id for row in read_tsv(path)):
            return table
    return None


def propose(record: RegistryRecord, data_dir: Path) -> Proposal:
    """The changes ``record`` implies for its trial; UnknownTrial when the graph has no such
    trial, StaleRecord when the graph already holds a later record."""
    trials = graph_trials(data_dir)
    current = trials.get(record.nct_id)
    if current is None:
        table = _table_of(record.nct_id, data_dir)
        if table is not None:
            raise UnknownTrial(f"{record.nct_id} is a row of {table} but has no item in "
                               f"{EVIDENCE} '{SECTION}' to hold its registry facts: add one "
                               f"(id: {record.nct_id}, registry: {CTGOV_REGISTRY}, stated_in)")
        raise UnknownTrial(f"{record.nct_id} is not a trial of the graph; its ClinicalTrials.gov "
                           f"trials are {', '.join(sorted(trials))}")
    graph_update = current.get(LAST_UPDATE)
    if graph_update is not None and str(graph_update) > record.last_update:
        raise StaleRecord(f"{record.nct_id}: the record was last updated "
                          f"{record.last_update}, before the record the graph holds "
                          f"({graph_update}); nothing proposed")
    changes = [Change(key, current.get(key), value)
               for key, value in record.facts.items() if not _same(current.get(key), value)]
    # a fact the graph holds that the record no longer gives is removed (null in the body)
    changes += [Change(key, current[key], None) for key in REGISTRY_KEYS
                if key != LAST_UPDATE and key not in record.facts
                and current.get(key) is not None]
    return Proposal(record, None if graph_update is None else str(graph_update),
                    tuple(changes))


def _same(old: Any, new: Any) -> bool:
    if isinstance(new, bool) or isinstance(old, bool):
        return old is new
    return old == new
