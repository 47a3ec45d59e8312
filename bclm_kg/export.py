"""``bclm-kg export``: the release in one RDF format, or the per-arm table in a results format.

The formats come from the registry (:mod:`bclm_kg.formats`): an RDF format exports the whole
graph (copied from the release when it holds that file), a results format exports the table of
study arms that ``queries/export_arms.rq`` produces.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .errors import BclmError
from .formats import Format, export_names
from .queries import load_query
from .query.store import KnowledgeStore, StoreSpec
from .release import Release


def load_store(release_dir: Path) -> KnowledgeStore:
    """The release's named graphs in an in-memory Oxigraph store (queries see their union)."""
    return StoreSpec(Release(release_dir).dataset).open()


def arms_table(store: KnowledgeStore, fmt: Format) -> bytes:
    """Run export_arms.rq over the union of the graphs and serialise its rows in ``fmt``."""
    solutions = store.query(load_query("export_arms"))
    return solutions.serialize(format=fmt.oxigraph)


def export_release(release_dir: Path, name: str) -> bytes:
    """The bytes of the export in the format called ``name`` (see ``export_names``)."""
    release = Release(release_dir)
    fmt = export_names().get(name)
    if fmt is None:
        raise BclmError(f"unknown export format '{name}'; choose one of "
                        + ", ".join(sorted(export_names())))
    if not release.exists():
        raise BclmError(f"no release in {release.path}; run `bclm-kg build --out "
                        f"{release.path}` first")
    if fmt.kind == "results":
        return arms_table(load_store(release.path), fmt)
    if fmt.release_file:
        return release.file(fmt).read_bytes()
    quads = ox.parse(path=str(release.dataset), format=ox.RdfFormat.TRIG)
    return ox.serialize(dict.fromkeys(q.triple for q in quads), format=fmt.oxigraph)


def write_export(data: bytes, out_file: Path | None) -> None:
    """Write to ``out_file``, atomically, or to standard output."""
    import sys

    if out_file is None:
        sys.stdout.buffer.write(data)
        return
    staging = out_file.with_name(f".{out_file.name}.tmp")
    staging.write_bytes(data)
    staging.replace(out_file)
