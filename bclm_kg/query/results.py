"""Serialisers for SPARQL results: the four result formats, and RDF graphs.

Solutions are serialised from a list (the row cap has already been applied), following
SPARQL 1.1 Query Results JSON, XML, and CSV/TSV.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..formats import by_name
from ..namespaces import used_prefixes

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


Row = Sequence[object | None]  # one term (or None) per variable


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        }}
    out: dict = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
        direction = getattr(term, "direction", None)
        if direction is not None:
            out["its:dir"] = str(direction).rsplit(".", 1)[-1].lower()
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@lru_cache(maxsize=65536)
def _json_fragment(term) -> str:
    """A term as SPARQL JSON results text; remembered, since answers repeat terms (the text
    is what ``json.dumps`` of the whole document would write for it)."""
    return _json(_json_term(term))


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return ("<triple>"
                f"<subject>{_xml_term(term.subject)}</subject>"
                f"<predicate>{_xml_term(term.predicate)}</predicate>"
                f"<object>{_xml_term(term.object)}</object></triple>")
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _tsv_term(term) -> str:
    return "" if term is None else str(term)  # N-Triples syntax escapes tabs and newlines


def solutions(variables: Sequence[str], rows: Sequence[Row], fmt: str) -> bytes:
    """Serialise SELECT results in ``fmt`` (json, xml, csv, tsv)."""
    if fmt == "json":
        names = [_json(v) + ":" for v in variables]
        objects = ["{" + ",".join([name + _json_fragment(t)
                                   for name, t in zip(names, row, strict=True) if t is not None])
                   + "}" for row in rows]
        return ('{"head":{"vars":' + _json(list(variables)) + '},"results":{"bindings":['
                + ",".join(objects) + "]}}").encode("utf-8")
    if fmt == "xml":
        out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{RESULTS_NS}">\n<head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head>\n<results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(variables, row, strict=True) if t is not None]
            out.append("</result>")
        out.append("</results>\n</sparql>\n")
        return "".join(out).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_term(t) for t in row] for row in rows)
        return buf.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"not a results format: {fmt}")


def boolean(value: bool, fmt: str) -> bytes:
    """Serialise an ASK result in ``fmt``; CSV and TSV carry the bare word."""
    word = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "xml":
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{RESULTS_NS}">'
                f"<head/><boolean>{word}</boolean></sparql>\n").encode()
    if fmt in ("csv", "tsv"):
        return f"{word}\n".encode()
    raise ValueError(f"not a results format: {fmt}")


def graph(triples: Sequence[ox.Triple], fmt: str) -> bytes:
    """Serialise triples in an RDF format, with the project's prefixes where the format has them."""
    rdf_format = by_name(fmt, "graph").oxigraph
    if fmt in ("turtle", "trig", "rdfxml"):
        return ox.serialize(triples, format=rdf_format, prefixes=used_prefixes(triples))
    return ox.serialize(triples, format=rdf_format)
