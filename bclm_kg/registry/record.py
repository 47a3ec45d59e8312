"""Read a ClinicalTrials.gov (API v2) study record: the facts the graph keeps of it.

The record is the JSON of ``GET https://clinicaltrials.gov/api/v2/studies/{nctId}`` (or a
search answer holding exactly one study under ``studies``). What is read, by JSON path:

* ``protocolSection.identificationModule.nctId``
* ``protocolSection.statusModule.overallStatus``
* ``protocolSection.statusModule.{startDateStruct, primaryCompletionDateStruct,
  completionDateStruct}`` — ``{"date": "2023-12" | "2023-12-01", "type": "ACTUAL" | "ESTIMATED"}``
* ``protocolSection.statusModule.lastUpdatePostDateStruct.date`` (required: the provenance)
* ``protocolSection.statusModule.resultsFirstPostDateStruct.date``
* ``protocolSection.designModule.enrollmentInfo`` — ``{"count": 340, "type": "ESTIMATED"}``
* ``hasResults`` (or, without it, whether ``resultsSection`` is there)

Every missing or malformed field is a :class:`RecordError` naming the file and the JSON path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BclmError
from ..ingest.sections.registry_snapshot import KINDS, STATUSES, date_literal
from ..namespaces import CTGOV

NCT_ID = re.compile(r"^NCT\d{8}$")

# The dates of ``statusModule`` the graph keeps: struct name → YAML key of the trial item.
DATE_STRUCTS = {
    "startDateStruct": "registry_start",
    "primaryCompletionDateStruct": "registry_primary_completion",
    "completionDateStruct": "registry_completion",
}


class RecordError(BclmError):
    """A study record the import cannot read: names the file and the JSON path at fault."""

    def __init__(self, source: str, path: str, message: str) -> None:
        self.source = source
        self.path = path
        self.message = message
        super().__init__(f"{source}: {path}: {message}" if path else f"{source}: {message}")


@dataclass(frozen=True)
class RegistryRecord:
    """What a ClinicalTrials.gov record states, as the keys of a trial in
    ``narrative/evidence.yaml`` (``facts``; ``registry_last_update`` is the record's own
    last-update date, its provenance)."""

    nct_id: str
    last_update: str
    facts: dict[str, str | int | bool] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The record's page on ClinicalTrials.gov (the graph's IRI for the record)."""
        return str(CTGOV[self.nct_id])


@dataclass(frozen=True)
class _Reader:
    """Typed access to the JSON by dotted path; each failure names the path."""

    source: str
    root: Mapping[str, Any]
    prefix: str = ""

    def fail(self, path: str, message: str) -> RecordError:
        return RecordError(self.source, self.prefix + path, message)

    def get(self, path: str, required: bool = False) -> Any:
        node: Any = self.root
        walked: list[str] = []
        for part in path.split("."):
            if not isinstance(node, Mapping):
                raise self.fail(".".join(walked), f"expected an object, found {_kind(node)}")
            walked.append(part)
            if part not in node or node[part] is None:
                if required:
                    raise self.fail(path, "missing")
                return None
            node = node[part]
        return node

    def text(self, path: str, required: bool = False) -> str | None:
        value = self.get(path, required)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise self.fail(path, f"expected text, found {_kind(value)}")
        return value.strip() if value is not None else None

    def code(self, path: str, allowed: tuple[str, ...], what: str,
             required: bool = False) -> str | None:
        value = self.text(path, required)
        if value is not None and value not in allowed:
            raise self.fail(path, f"{value!r} is not a valid {what} ({', '.join(allowed)})")
        return value

    def date(self, path: str, required: bool = False, day: bool = False) -> str | None:
        value = self.text(path, required)
        if value is None:
            return None
        try:
            literal = date_literal(value)
        except ValueError as exc:
            raise self.fail(path, str(exc)) from None
        if day and len(value) != 10:
            raise self.fail(path, f"{value!r} is not a full date YYYY-MM-DD")
        return str(literal)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false",
             int: "a number", float: "a number"}
    return f"{names.get(type(value), type(value).__name__)} {json.dumps(value)[:40]}"


def parse_record(data: Any, source: str = "record") -> RegistryRecord:
    """The facts of one study record (already parsed JSON); RecordError names what is wrong."""
    prefix = ""
    if isinstance(data, Mapping) and "studies" in data and "protocolSection" not in data:
        studies = data["studies"]
        if not isinstance(studies, list) or len(studies) != 1:
            count = len(studies) if isinstance(studies, list) else _kind(studies)
            raise RecordError(source, "studies",
                              f"expected exactly one study record, found {count}")
        data, prefix = studies[0], "studies[0]."
    if not isinstance(data, Mapping):
        raise RecordError(source, prefix.rstrip("."),
                          f"expected a study record (a JSON object), found {_kind(data)}")
    read = _Reader(source, data, prefix)
    nct_id = read.text("protocolSection.identificationModule.nctId", required=True)
    if not NCT_ID.match(nct_id):
        raise read.fail("protocolSection.identificationModule.nctId",
                        f"{nct_id!r} is not an NCT number (NCT followed by 8 digits)")
    status = "protocolSection.statusModule"
    last_update = read.date(f"{status}.lastUpdatePostDateStruct.date", required=True, day=True)
    facts: dict[str, str | int | bool] = {}
    overall = read.code(f"{status}.overallStatus", STATUSES, "ClinicalTrials.gov overall status",
                        required=True)
    facts["registry_status"] = overall
    enrolment = "protocolSection.designModule.enrollmentInfo"
    count = read.get(f"{enrolment}.count")
    if count is not None:
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise read.fail(f"{enrolment}.count",
                            f"expected a whole number of at least 0, found {_kind(count)}")
        facts["registry_enrolment"] = count
    kind = read.code(f"{enrolment}.type", KINDS, "enrolment type")
    if kind is not None:
        facts["registry_enrolment_type"] = kind
    for struct, key in DATE_STRUCTS.items():
        if read.get(f"{status}.{struct}") is None:
            continue
        facts[key] = read.date(f"{status}.{struct}.date", required=True)
        kind = read.code(f"{status}.{struct}.type", KINDS, "date type")
        if kind is not None:
            facts[f"{key}_type"] = kind
    has_results = read.get("hasResults")
    if has_results is not None and not isinstance(has_results, bool):
        raise read.fail("hasResults", f"expected true or false, found {_kind(has_results)}")
    facts["registry_results_posted"] = (has_results if has_results is not None
                                        else read.get("resultsSection") is not None)
    first_posted = read.date(f"{status}.resultsFirstPostDateStruct.date")
    if first_posted is not None:
        facts["registry_results_first_posted"] = first_posted
    return RegistryRecord(nct_id, last_update, facts)


def read_record(path: Path) -> RegistryRecord:
    """Read a record file; RecordError names the file and the line or JSON path at fault."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RecordError(str(path), "", "file not found") from None
    except UnicodeDecodeError as exc:
        raise RecordError(str(path), "", f"not UTF-8 text ({exc.reason})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(f"{path}:{exc.lineno}", "",
                          f"not valid JSON: {exc.msg} (column {exc.colno})") from None
    return parse_record(data, str(path))
