"""Facets → SPARQL: the scope of the result kind, then each active facet's fragment, with
every value bound through the store's substitutions (never pasted into the text)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .facets import BY_NAME, FACETS, RangeFacet, TermFacet, TextFacet
from .fragments import fragment, text
from .selection import Selection

XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class Query:
    """A composed query, its bindings, and the same query with the bindings written as a
    VALUES row, to run as it is on the query page."""

    text: str
    bindings: dict[str, ox.NamedNode | ox.Literal]
    standalone: str

    def as_dict(self) -> dict:
        return {"query": self.text, "bindings": {k: str(v) for k, v in self.bindings.items()},
                "standalone": self.standalone}


def _active(selection: Selection, count: TermFacet | None) -> list:
    names = selection.active() | ({count.name} if count else set())
    for name in list(names):
        facet = BY_NAME[name]
        if isinstance(facet, TermFacet) and facet.needs:
            names.add(facet.needs)
    return [f for f in FACETS if f.name in names]


def _literal(number: int | float, datatype: str) -> ox.Literal:
    if datatype == "integer":
        return ox.Literal(str(int(number)), datatype=ox.NamedNode(XSD + "integer"))
    return ox.Literal(repr(float(number)), datatype=ox.NamedNode(XSD + "decimal"))


def compose(kind: str, selection: Selection, count: TermFacet | None = None) -> Query:
    """The query for ``kind`` under ``selection``; with ``count``, the query that counts the
    items per value of that facet (its own selection left out)."""
    terms = selection.term_map()
    ranges = selection.range_map()
    body: list[str] = [*(fragment(f"scope-{kind}").comment), *fragment(f"scope-{kind}").pattern]
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
    shows: list[str] = []
    for facet in _active(selection, count):
        frag = fragment(facet.fragment_name)
        body += [frag.comment[0], *frag.pattern] if frag.comment else list(frag.pattern)
        if isinstance(facet, TermFacet):
            shows += [facet.var, *facet.shows]
            chosen = terms.get(facet.name, ())
            if chosen and facet is not count:
                names = []
                for term in dict.fromkeys(t for c in chosen for t in c.terms):
                    var = f"{facet.name}_{len(names)}"
                    bindings[var] = ox.NamedNode(term.iri)
                    names.append(f"?{var}")
                body += [line.replace("$values", ", ".join(names)) for line in frag.select]
        elif isinstance(facet, RangeFacet):
            shows.append(facet.var)
            for param, line in frag.bounds:
                if param in ranges:
                    bindings[param] = _literal(ranges[param], facet.datatype)
                    body.append(line)
        elif isinstance(facet, TextFacet):
            shows.append(facet.var)
            tests = []
            for i, word in enumerate(selection.text):
                bindings[f"q_{i}"] = ox.Literal(word)
                tests.append(frag.any.replace("$value", f"?q_{i}"))
            body.append(f"FILTER ({' || '.join(tests)})")
    body += fragment(f"scope-{kind}").last
    if count is not None:
        projection = ["?item", f"?{count.var}"]
        about = f"items of {kind} per value of the {count.name} facet"
    else:
        projection = ["?item", "?study", "?arm", *dict.fromkeys(f"?{v}" for v in shows)]
        about = f"{kind} matching the selection, with the value each facet matched"
    projection += [f"?{v}" for v in bindings]
    query = _render(about, projection, body)
    values = ""
    if bindings:
        values = (f"VALUES ({' '.join('?' + v for v in bindings)}) "
                  f"{{ ({' '.join(str(t) for t in bindings.values())}) }}")
    standalone = _render(about + "; the bound values in VALUES", projection,
                         [values, *body] if values else body)
    return Query(query, bindings, standalone)


def _render(about: str, projection: list[str], body: list[str]) -> str:
    return (text("query")
            .replace("$about", about)
            .replace("$prefixes", text("prefixes").split("\n", 1)[1].rstrip())
            .replace("$projection", " ".join(dict.fromkeys(projection)))
            .replace("$body", "\n".join("  " + line for line in body)))
