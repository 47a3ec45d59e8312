"""The ``registry_*`` keys of a trial in ``data/narrative/evidence.yaml``: what the trial's
ClinicalTrials.gov record states (status, enrolment, dates, posted results), as of the record's
last update.

These facts go on a node of their own, ``trial/{id}/registry-snapshot``, whose source is the
registry record (``dcterms:source`` its IRI, ``bclm:registryLastUpdated`` its last-update date)
and never the review: it has no ``statedIn``.
"""

from __future__ import annotations

import datetime
import re

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from ...namespaces import BCLM, CTGOV, kg
from ..sink import Sink
from ..yaml_source import Item

# ClinicalTrials.gov's overall statuses (API v2 enumeration ``Status``), as the record writes them.
STATUSES = (
    "ACTIVE_NOT_RECRUITING", "COMPLETED", "ENROLLING_BY_INVITATION", "NOT_YET_RECRUITING",
    "RECRUITING", "SUSPENDED", "TERMINATED", "WITHDRAWN", "AVAILABLE", "NO_LONGER_AVAILABLE",
    "TEMPORARILY_NOT_AVAILABLE", "APPROVED_FOR_MARKETING", "WITHHELD", "UNKNOWN",
)
# Whether a date or an enrolment has happened or is anticipated (``DateType``, ``EnrollmentType``).
KINDS = ("ACTUAL", "ESTIMATED")
# A record's partial date: a month ("2023-12") or a day ("2023-12-01").
PARTIAL_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$")

LAST_UPDATE = "registry_last_update"
# YAML key → property, for the dates that may come with a type (key + "_type").
DATES = {
    "registry_start": (BCLM.registryStartDate, BCLM.registryStartDateType),
    "registry_primary_completion": (BCLM.registryPrimaryCompletionDate,
                                    BCLM.registryPrimaryCompletionDateType),
    "registry_completion": (BCLM.registryCompletionDate, BCLM.registryCompletionDateType),
}
KEYS = (LAST_UPDATE, "registry_status", "registry_enrolment", "registry_enrolment_type",
        *DATES, *(f"{key}_type" for key in DATES), "registry_results_posted",
        "registry_results_first_posted")


def snapshot_iri(trial_id: str) -> URIRef:
    return kg(f"trial/{trial_id}/registry-snapshot")


def date_literal(text: str) -> Literal:
    """A checked partial date as xsd:date (a day) or xsd:gYearMonth (a month); ValueError when
    it is neither or names no real day."""
    if not PARTIAL_DATE.match(text):
        raise ValueError(f"'{text}' is not a date YYYY-MM-DD or a month YYYY-MM")
    if len(text) == 7:
        return Literal(text, datatype=XSD.gYearMonth)
    return Literal(datetime.date.fromisoformat(text).isoformat(), datatype=XSD.date)


def _date(item: Item, key: str) -> Literal:
    value = item.node.get(key)
    if isinstance(value, datetime.date):  # an unquoted YAML date
        value = value.isoformat()
    if not isinstance(value, str):
        item.fail(f"'{key}' must be a date YYYY-MM-DD or a month YYYY-MM, found {value!r}", key)
    try:
        return date_literal(value.strip())
    except ValueError as exc:
        item.fail(f"'{key}': {exc}", key)


def load_snapshot(sink: Sink, item: Item, trial_id: str, registry: str) -> None:
    """The trial's registry snapshot, when the item has any ``registry_*`` key."""
    present = [key for key in KEYS if item.has(key)]
    if not present:
        return
    if registry != "clinicaltrials-gov":
        item.fail(f"'{present[0]}': registry facts are read from ClinicalTrials.gov records; "
                  f"this trial's registry is '{registry}'", present[0])
    if not item.has(LAST_UPDATE):
        item.fail(f"missing '{LAST_UPDATE}' (the record's last-update date, the source of "
                  f"{', '.join(repr(k) for k in present)})")
    trial, node = kg(f"trial/{trial_id}"), snapshot_iri(trial_id)
    last_update = _date(item, LAST_UPDATE)
    if last_update.datatype != XSD.date:
        item.fail(f"'{LAST_UPDATE}' must be a full date YYYY-MM-DD", LAST_UPDATE)
    record = CTGOV[trial_id]
    sink.add(trial, BCLM.hasRegistrySnapshot, node)
    sink.add(node, RDF.type, BCLM.RegistrySnapshot)
    sink.add(node, DCTERMS.source, record)
    sink.add(node, BCLM.registryLastUpdated, last_update)
    sink.labels(node, f"{trial_id} on ClinicalTrials.gov, record of {last_update}",
                f"{trial_id} 在ClinicalTrials.gov的记录({last_update})")
    if item.has("registry_status"):
        status = item.code("registry_status", STATUSES, "ClinicalTrials.gov overall status")
        sink.add(node, BCLM.registryStatus, Literal(status))
    if item.has("registry_enrolment"):
        count = item.integer("registry_enrolment")
        if count < 0:
            item.fail(f"'registry_enrolment' must not be negative, found {count}",
                      "registry_enrolment")
        sink.integer(node, BCLM.registryEnrolment, count)
    _kind(sink, item, "registry_enrolment_type", node, BCLM.registryEnrolmentType)
    for key, (date_prop, kind_prop) in DATES.items():
        if item.has(f"{key}_type") and not item.has(key):
            item.fail(f"'{key}_type' without '{key}'", f"{key}_type")
        if item.has(key):
            sink.add(node, date_prop, _date(item, key))
        _kind(sink, item, f"{key}_type", node, kind_prop)
    if item.has("registry_results_posted"):
        sink.add(node, BCLM.registryResultsPosted,
                 Literal(item.flag("registry_results_posted")))
    if item.has("registry_results_first_posted"):
        sink.add(node, BCLM.registryResultsFirstPosted,
                 _date(item, "registry_results_first_posted"))
    sink.curated_at(node, item.path, item.line)
    sink.provenance.add((node, PROV.wasDerivedFrom, record))


def _kind(sink: Sink, item: Item, key: str, node: URIRef, prop: URIRef) -> None:
    if item.has(key):
        sink.add(node, prop, Literal(item.code(key, KINDS, "type (ACTUAL or ESTIMATED)")))
