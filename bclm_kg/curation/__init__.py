"""Curation: submissions checked by the same build as ``bclm-kg build`` (the gate), committed
to the curated data's git history and published as a new release in one durable step."""

from .curation import Curation, version_for
from .model import Author, Change, ChangeDetail, Submission
from .report import GateReport, InvalidSubmission, Problem, ShaclResult, SubmissionStateError

__all__ = [
    "Author", "Change", "ChangeDetail", "Curation", "GateReport", "InvalidSubmission", "Problem",
    "ShaclResult", "Submission", "SubmissionStateError", "version_for",
]
