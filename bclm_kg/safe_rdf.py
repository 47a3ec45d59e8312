"""Parse RDF sent by a client without fetching anything and without letting it grow.

:func:`parse_upload` reads every RDF format of :mod:`bclm_kg.formats` with pyoxigraph, whose
parsers have no document loader: nothing is ever fetched. Before that:

* JSON-LD: every ``@context`` and ``@import`` in the document (top level, nested in nodes,
  scoped in term definitions) is checked; one naming a document (a URL or a relative
  reference) is refused, since loading it would mean a request to another host or a read of a
  local file. rdflib's JSON-LD parser is not used for uploads: it loads such contexts itself
  (``Context._fetch_context`` opens any URL or path it is given) and cannot be told not to.
* RDF/XML: a DOCTYPE is refused (defusedxml), so no entity is ever declared or expanded —
  neither the exponential internal ones ("billion laughs") nor external ones naming a file.
* Every format: a size limit, and syntax errors with their line and column.

Errors are :class:`UploadError` subclasses with a readable message.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler

import defusedxml.sax
import pyoxigraph as ox
from defusedxml import DefusedXmlException
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import BclmError
from .formats import Format, by_media_type, formats_of

MAX_UPLOAD_BYTES = 16 * 1024 * 1024  # the default; the service passes its own setting
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class UploadError(BclmError):
    """An uploaded RDF document cannot be accepted."""


class UploadTooLarge(UploadError):
    """The document is larger than the limit."""

    def __init__(self, size: int, limit: int) -> None:
        self.size, self.limit = size, limit
        super().__init__(f"the document is {size} bytes; at most {limit} bytes are accepted")


class UnsupportedUpload(UploadError):
    """The media type names no RDF format this service reads."""

    def __init__(self, media_type: str) -> None:
        self.media_type = media_type
        accepted = ", ".join(f.media_type for f in formats_of("graph"))
        super().__init__(f"cannot read {media_type or 'a document without a media type'} as "
                         f"RDF; send one of {accepted}")


class UploadSyntaxError(UploadError):
    """The document is not valid in its format; ``line``/``column`` are 1-based when known."""

    def __init__(self, fmt: str, message: str, line: int | None = None,
                 column: int | None = None) -> None:
        self.format, self.reason, self.line, self.column = fmt, message, line, column
        where = f"line {line}" + (f", column {column}" if column else "") if line else ""
        super().__init__(f"{fmt}{' ' + where if where else ''}: {message}")


class RemoteContextRefused(UploadError):
    """A JSON-LD document names a context to load (``@context`` or ``@import`` as a reference)."""

    def __init__(self, where: str, reference: str) -> None:
        self.where, self.reference = where, reference
        super().__init__(
            f"JSON-LD {where} names the context {reference!r} to load; remote and file contexts "
            "are refused (nothing is fetched): put the context object itself in the document")


class EntityDeclarationRefused(UploadError):
    """An RDF/XML document has a DOCTYPE (entity declarations, external entities)."""

    def __init__(self, line: int | None, detail: str) -> None:
        self.line = line
        where = f" (line {line})" if line else ""
        super().__init__(
            f"RDF/XML with a DOCTYPE{where} is refused: {detail}. Entity declarations can "
            "expand without bound or read local files; write the values out instead")


def upload_format(media_type: str) -> Format:
    """The RDF format a media type (parameters allowed) names; :class:`UnsupportedUpload`."""
    found = by_media_type(media_type, "graph")
    if found is None:
        raise UnsupportedUpload(media_type)
    return found


def parse_upload(data: bytes, media_type: str, *, base: str,
                 max_bytes: int = MAX_UPLOAD_BYTES) -> Graph:
    """The graph a client sent (a dataset's named graphs are merged into one graph).

    ``base`` resolves relative IRIs. Nothing is fetched; see the module's documentation for
    what is refused.
    """
    if len(data) > max_bytes:
        raise UploadTooLarge(len(data), max_bytes)
    fmt = upload_format(media_type)
    if fmt.name == "jsonld":
        refuse_remote_contexts(data)
    elif fmt.name == "rdfxml":
        refuse_doctype(data)
    graph = Graph(base=base)
    try:
        # fresh blank node labels: the graph may be merged with another (``with=current``)
        for quad in ox.parse(data, format=fmt.oxigraph, base_iri=base, rename_blank_nodes=True):
            graph.add((_node(quad.subject), _node(quad.predicate), _object(quad.object, fmt)))
    except SyntaxError as exc:
        raise UploadSyntaxError(fmt.name, _reason(exc), exc.lineno, exc.offset) from exc
    except ValueError as exc:  # an invalid base IRI
        raise UploadError(f"cannot parse with base {base!r}: {exc}") from exc
    return graph


def _reason(exc: SyntaxError) -> str:
    """The parser's message without the position it repeats (it is given separately)."""
    text = exc.msg or str(exc)
    if text.startswith("Parser error ") and ": " in text:
        text = text.split(": ", 1)[1]
    return text.removesuffix(f" (line {exc.lineno})") if exc.lineno else text


def _node(term: ox.NamedNode | ox.BlankNode) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise UploadSyntaxError("RDF", f"a triple term ({term}) is not supported")


def _object(term, fmt: Format) -> Node:
    if not isinstance(term, ox.Literal):
        return _node(term)
    if term.direction:
        raise UploadSyntaxError(fmt.name, f"a literal with a base direction ({term}) is not "
                                "supported")
    datatype = term.datatype.value
    if term.language:
        return Literal(term.value, lang=term.language)
    if datatype in (XSD_STRING, RDF_LANG_STRING):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


# JSON-LD --------------------------------------------------------------------------------------


def refuse_remote_contexts(data: bytes) -> None:
    """Raise :class:`RemoteContextRefused` for the first context the document would load, and
    :class:`UploadSyntaxError` for a document that is not a JSON object or array of objects
    (JSON-LD 1.1, section 9: a bare string or number is no JSON-LD document)."""
    try:
        document = json.loads(data)
    except json.JSONDecodeError as exc:
        raise UploadSyntaxError("jsonld", exc.msg, exc.lineno, exc.colno) from exc
    except UnicodeDecodeError as exc:
        raise UploadSyntaxError("jsonld", f"not UTF-8 (byte {exc.start})") from exc
    except RecursionError as exc:
        raise UploadSyntaxError("jsonld", "the document is nested too deeply") from exc
    items = document if isinstance(document, list) else [document]
    if not all(isinstance(item, dict) for item in items):
        found = next(type(item).__name__ for item in items if not isinstance(item, dict))
        raise UploadSyntaxError("jsonld", "a JSON-LD document is a JSON object or an array of "
                                f"objects; found {found_name(found)} at the top level")
    for where, key, value in _keyword_values(document, ("@context", "@import")):
        for reference in value if isinstance(value, list) else [value]:
            if isinstance(reference, str):
                raise RemoteContextRefused(f"{key} at {where or 'the top level'}", reference)


def found_name(python_type: str) -> str:
    """The JSON name of a decoded value's Python type."""
    return {"str": "a string", "int": "a number", "float": "a number", "bool": "a boolean",
            "NoneType": "null", "list": "an array"}.get(python_type, python_type)


def _keyword_values(document: object, keys: tuple[str, ...]) -> Iterator[tuple[str, str, object]]:
    """(JSON path, key, value) of every member named one of ``keys``, at any depth."""
    stack: list[tuple[str, object]] = [("", document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                here = f"{path}.{key}" if path else key
                if key in keys:
                    yield path, key, item
                stack.append((here, item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item) for i, item in enumerate(value))


# RDF/XML --------------------------------------------------------------------------------------


def refuse_doctype(data: bytes) -> None:
    """Raise :class:`EntityDeclarationRefused` for a DOCTYPE, and :class:`UploadSyntaxError`
    (line and column) for XML that is not well-formed; nothing is expanded or fetched."""
    parser = defusedxml.sax.make_parser()
    parser.forbid_dtd = True  # the DOCTYPE is refused before any declaration in it is read
    parser.setContentHandler(ContentHandler())
    try:
        parser.parse(io.BytesIO(data))
    except DefusedXmlException as exc:
        name, system = getattr(exc, "name", None), getattr(exc, "sysid", None)
        detail = f"<!DOCTYPE {name}{f' SYSTEM {system!r}' if system else ''} …>"
        raise EntityDeclarationRefused(parser.getLineNumber(), detail) from exc
    except SAXParseException as exc:
        raise UploadSyntaxError("rdfxml", exc.getMessage(), exc.getLineNumber(),
                                exc.getColumnNumber() + 1) from exc

