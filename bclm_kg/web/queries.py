"""The web service's SPARQL, kept as ``.rq`` files in ``bclm_kg/queries/web/``.

A file starts with ``#`` comment lines: the first is its title, the others its description,
a ``# keywords: a, b`` line its keywords, and ``# @param`` lines its parameters (see
:mod:`bclm_kg.queries.params`); ``examples/`` holds the queries offered on the query page,
each also served at ``/query/{name}`` and, as RDF, in ``/.well-known/sparql-examples``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..queries.params import Parameter, declared

ROOT = resources.files("bclm_kg.queries").joinpath("web")


@cache
def load(name: str) -> str:
    """The text of ``bclm_kg/queries/web/{name}.rq``."""
    return ROOT.joinpath(f"{name}.rq").read_text(encoding="utf-8")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str
    params: tuple[Parameter, ...] = ()
    keywords: tuple[str, ...] = ()


def _parse(name: str, text: str) -> NamedQuery:
    comments = []
    keywords: tuple[str, ...] = ()
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if "@param" in line:
            continue
        comment = line.lstrip("#").strip()
        if comment.lower().startswith("keywords:"):
            keywords = tuple(k.strip() for k in comment[len("keywords:"):].split(",") if k.strip())
        else:
            comments.append(comment)
    title = comments[0] if comments else name
    return NamedQuery(name, title, " ".join(c for c in comments[1:] if c), text,
                      declared(text, f"bclm_kg/queries/web/examples/{name}.rq"), keywords)


@cache
def examples() -> tuple[NamedQuery, ...]:
    """The example queries, in file-name order."""
    folder = ROOT.joinpath("examples")
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)
    return tuple(_parse(f.name[:-3], f.read_text(encoding="utf-8")) for f in files)


def example(name: str) -> NamedQuery | None:
    return next((q for q in examples() if q.name == name), None)
