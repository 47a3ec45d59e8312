"""Send a registry proposal through the curation gate (the same validation and commit as any
other submission)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .propose import Proposal

if TYPE_CHECKING:
    from ..curation import Author, Submission
    from ..project import Project


def submit(proposal: Proposal, project: Project, author: Author) -> Submission:
    """Submit ``proposal`` to the curated data of ``project``: a curator's valid change is
    committed at once, a submitter's waits for approval; an invalid one raises
    ``InvalidSubmission`` with its report and changes nothing."""
    from ..curation import Curation

    return Curation.open(project).submit(proposal.body(), author, source=proposal.record.url)
