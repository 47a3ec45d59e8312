"""Registry updates: read a ClinicalTrials.gov (API v2) study record of a trial in the graph and
propose what it changes (status, enrolment, dates, posted results) as a submission whose source
is the record. The submission goes through the same gate as any other (``bclm_kg.curation``)."""

from .propose import Change, Proposal, StaleRecord, UnknownTrial, graph_trials, propose
from .record import RecordError, RegistryRecord, parse_record, read_record

__all__ = ["Change", "Proposal", "RecordError", "RegistryRecord", "StaleRecord", "UnknownTrial",
           "graph_trials", "parse_record", "propose", "read_record"]
