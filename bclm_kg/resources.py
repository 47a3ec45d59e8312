"""What ships inside the package: the ontology, the shapes, the curated data and, in a
distributed wheel, a release built from that data.

In a checkout, ``bclm_kg/_bundle/`` holds symbolic links to the top-level ``ontology/``,
``shapes/`` and ``data/`` folders, so the same lookups work from the source tree, an editable
install and an installed wheel (where the build copies the linked files in).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import BclmError

BUNDLE = "_bundle"


def bundled(*parts: str) -> Path:
    """The path of a packaged resource, e.g. ``bundled("ontology", "bclm.ttl")``."""
    traversable = resources.files("bclm_kg").joinpath(BUNDLE, *parts)
    if not isinstance(traversable, Path):
        raise BclmError(f"packaged resource {'/'.join(parts)} is not on the file system "
                        "(install bclm-kg unpacked, e.g. with pip, not as a zip)")
    return traversable


def ontology_file() -> Path:
    """The ontology source (Turtle)."""
    return bundled("ontology", "bclm.ttl")


def mappings_file() -> Path:
    """The SSSOM mapping table beside the ontology."""
    return bundled("ontology", "mappings.sssom.tsv")


def xrefs_file() -> Path:
    """The verified list of external identifiers."""
    return bundled("ontology", "sources", "xrefs.tsv")


def shapes_file() -> Path:
    """The SHACL shapes graph."""
    return bundled("shapes", "bclm.shacl.ttl")


def data_dir() -> Path:
    """The curated data the package was released with."""
    return bundled("data")


def release_dir() -> Path:
    """The release shipped in a distributed wheel (absent in a checkout)."""
    return bundled("release")
