"""Named SPARQL queries shipped with the package (``.rq`` files)."""

from __future__ import annotations

from importlib import resources


def load_query(name: str) -> str:
    """The text of ``bclm_kg/queries/{name}.rq``."""
    return resources.files(__package__).joinpath(f"{name}.rq").read_text(encoding="utf-8")
