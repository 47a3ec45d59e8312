"""Uploaded RDF is parsed without fetching anything: hostile documents (billion laughs, an
external entity naming a local file, JSON-LD contexts on a loopback server that records every
request) are refused with a readable error, and syntax errors give their line and column."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from bclm_kg.errors import BclmError
from bclm_kg.formats import formats_of
from bclm_kg.safe_rdf import (
    EntityDeclarationRefused,
    RemoteContextRefused,
    UnsupportedUpload,
    UploadError,
    UploadSyntaxError,
    UploadTooLarge,
    parse_upload,
)
from tests.recorder import Recorder, recording

FIXTURE = Path(__file__).parent / "web" / "fixtures" / "release" / "bclm.trig"
BASE = "http://example.org/upload/"
CONTEXT = {"@context": {"name": "http://xmlns.com/foaf/0.1/name"}}


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    """Answers every request with a valid JSON-LD context, and records it."""
    with recording(json.dumps(CONTEXT).encode(), "application/ld+json") as server:
        yield server


def _jsonld(document: dict) -> bytes:
    return json.dumps(document).encode()


def test_the_recorder_sees_what_rdflib_would_fetch(recorder):
    """The hazard is real: rdflib's own JSON-LD parser loads a remote context (so the recorder
    below can tell a fetch from none)."""
    doc = _jsonld({"@context": f"{recorder.url}/ctx", "@id": "http://ex/a", "name": "A"})
    graph = Graph().parse(data=doc, format="json-ld")
    assert recorder.requests == ["GET /ctx"]
    assert (URIRef("http://ex/a"), URIRef("http://xmlns.com/foaf/0.1/name"),
            Literal("A")) in graph


@pytest.mark.parametrize("where", ["top", "list", "import", "scoped", "node", "relative"])
def test_jsonld_contexts_to_load_are_refused_and_never_fetched(recorder, where):
    url = f"{recorder.url}/ctx-{where}"
    documents = {
        "top": {"@context": url, "@id": "http://ex/a", "name": "A"},
        "list": {"@context": [{"@vocab": "http://ex/"}, url], "@id": "http://ex/a"},
        "import": {"@context": {"@version": 1.1, "@import": url}, "@id": "http://ex/a"},
        "scoped": {"@context": {"@version": 1.1, "knows": {"@id": "http://ex/knows",
                                                          "@context": url}},
                   "@id": "http://ex/a", "knows": {"@id": "http://ex/b"}},
        "node": {"@graph": [{"@context": url, "@id": "http://ex/a", "name": "A"}]},
        "relative": {"@context": "ctx-relative", "@id": "http://ex/a"},
    }
    base = f"{recorder.url}/" if where == "relative" else BASE
    with pytest.raises(RemoteContextRefused) as caught:
        parse_upload(_jsonld(documents[where]), "application/ld+json", base=base)
    assert recorder.requests == []
    assert "refused" in str(caught.value)
    assert caught.value.reference in (url, "ctx-relative")


def test_jsonld_with_its_context_inline_is_read():
    doc = _jsonld({**CONTEXT, "@id": "a", "name": "A"})
    graph = parse_upload(doc, "application/ld+json; charset=utf-8", base=BASE)
    assert set(graph) == {(URIRef(BASE + "a"), URIRef("http://xmlns.com/foaf/0.1/name"),
                           Literal("A"))}


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY lol "lol">
""" + b"".join(
    f' <!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">\n'.encode()
    for n in range(1, 10)) + b"""]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex/">
  <rdf:Description rdf:about="http://ex/a"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>
"""


def test_billion_laughs_is_refused():
    with pytest.raises(EntityDeclarationRefused) as caught:
        parse_upload(BILLION_LAUGHS, "application/rdf+xml", base=BASE)
    assert caught.value.line == 2
    assert "DOCTYPE rdf:RDF" in str(caught.value)


def test_the_parser_alone_would_expand_entities():
    """Why the DOCTYPE is refused before parsing: the RDF/XML parser expands declared entities
    (three levels here: 10³ copies)."""
    small = BILLION_LAUGHS.replace(b"&lol9;", b"&lol3;")
    literal = next(iter(ox.parse(small, format=ox.RdfFormat.RDF_XML))).object
    assert len(literal.value) == 3 * 10**3


def test_external_entity_naming_a_local_file_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the-secret-value")
    doc = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex/">
  <rdf:Description rdf:about="http://ex/a"><ex:p>&leak;</ex:p></rdf:Description>
</rdf:RDF>
""".encode()
    with pytest.raises(EntityDeclarationRefused) as caught:
        parse_upload(doc, "application/xml", base=BASE)
    assert "the-secret-value" not in str(caught.value)


def test_external_dtd_is_refused_and_never_fetched(recorder):
    doc = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF SYSTEM "{recorder.url}/evil.dtd">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>
""".encode()
    with pytest.raises(EntityDeclarationRefused) as caught:
        parse_upload(doc, "application/rdf+xml", base=BASE)
    assert recorder.requests == []
    assert "evil.dtd" in str(caught.value)


@pytest.mark.parametrize(("media_type", "data", "line", "column"), [
    ("text/turtle", b'@prefix ex: <http://ex/> .\nex:a ex:b "unclosed .\n', 2, 11),
    ("text/turtle", b"<a> <b> <c> .\n<a> <b> <c>\n", 3, None),
    ("application/n-triples", b"<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n",
     2, 23),
    ("application/trig", b"<http://g> {\n  <a> <b> <c> .\n  <a> <b> ;\n}\n", 3, 11),
    ("application/ld+json", b'{"@id": "http://ex/a",\n "http://ex/p": [}\n', 2, 18),
    ("application/rdf+xml", b'<?xml version="1.0"?>\n<x>\n <y></x>\n', 3, 7),
])
def test_syntax_errors_name_line_and_column(media_type, data, line, column):
    with pytest.raises(UploadSyntaxError) as caught:
        parse_upload(data, media_type, base=BASE)
    assert caught.value.line == line
    if column is not None:
        assert caught.value.column == column
    assert f"line {line}" in str(caught.value)


@pytest.mark.parametrize(("data", "found"), [
    (b'""', "a string"), (b"42", "a number"), (b"null", "null"), (b"[{}, true]", "a boolean"),
    (b"[[]]", "an array"),
])
def test_jsonld_must_be_an_object_or_array_of_objects(data, found):
    """A bare JSON value is not a JSON-LD document (JSON-LD 1.1, section 9), not an empty one."""
    with pytest.raises(UploadSyntaxError) as caught:
        parse_upload(data, "application/ld+json", base=BASE)
    assert f"found {found} at the top level" in str(caught.value)
    assert len(parse_upload(b"[]", "application/ld+json", base=BASE)) == 0


def test_size_limit():
    data = b"<http://a> <http://b> <http://c> .\n" * 100
    assert len(parse_upload(data, "application/n-triples", base=BASE, max_bytes=len(data))) == 1
    with pytest.raises(UploadTooLarge) as caught:
        parse_upload(data, "application/n-triples", base=BASE, max_bytes=len(data) - 1)
    assert caught.value.size == len(data)
    assert f"at most {len(data) - 1} bytes" in str(caught.value)


def test_unknown_media_type():
    with pytest.raises(UnsupportedUpload) as caught:
        parse_upload(b"<html/>", "text/html", base=BASE)
    assert "text/turtle" in str(caught.value)
    assert isinstance(caught.value, BclmError)


@pytest.mark.parametrize("fmt", formats_of("graph"), ids=lambda f: f.name)
def test_every_format_reads_the_fixture_release(fmt):
    """Each format of the registry gives the same graph as rdflib reading the fixture's
    Turtle form (named graphs merged)."""
    quads = list(ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG))
    triples = list(dict.fromkeys(q.triple for q in quads))
    expected = Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.TURTLE),
                             format="turtle")
    data = ox.serialize(quads if fmt.name == "trig" else triples, format=fmt.oxigraph)
    graph = parse_upload(data, fmt.media_type, base=BASE)
    assert len(graph) == len(expected) > 100
    assert isomorphic(graph, expected)


def _small_documents() -> list[tuple[str, bytes]]:
    """The first 40 triples of the fixture release in every format of the registry."""
    quads = list(ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG))[:40]
    triples = [q.triple for q in quads]
    return [(fmt.media_type, ox.serialize(quads if fmt.name == "trig" else triples,
                                          format=fmt.oxigraph))
            for fmt in formats_of("graph")]


DOCUMENTS = _small_documents()
HOSTILE_BITS = [b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"&a;", b'"@context": "http://127.0.0.1:9/"',
                b'{"@import": "x"}', b"\x00", b"\xff\xfe", b"<<( <a> <b> <c> )>>", b"@prefix",
                b'"""', b"{", b"}", b"[", b"]", b"\\u0000", b"xml:lang", b"^^", b"_:b", b"\n"]


@st.composite
def uploads(draw) -> tuple[bytes, str]:
    media_type, data = draw(st.sampled_from(DOCUMENTS))
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        end = draw(st.integers(min_value=at, max_value=min(len(data), at + 64)))
        piece = draw(st.one_of(st.sampled_from(HOSTILE_BITS), st.binary(max_size=8)))
        data = data[:at] + piece + data[end:]
    media_type = draw(st.one_of(st.just(media_type), st.sampled_from(
        ["application/json", "text/plain", "text/xml", "application/octet-stream", ""])))
    return data, media_type


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(upload=st.one_of(uploads(), st.tuples(st.binary(max_size=200),
                                             st.sampled_from([d[0] for d in DOCUMENTS]))))
def test_any_upload_is_a_graph_or_an_upload_error(upload):
    data, media_type = upload
    try:
        graph = parse_upload(data, media_type, base=BASE)
    except UploadError as exc:
        assert str(exc)
    else:
        assert isinstance(graph, Graph)


def test_blank_nodes_get_fresh_labels():
    """Two uploads (or an upload and the current graph) never share a blank node by label."""
    data = b'_:b0 <http://ex/p> "1" .\n'
    first = parse_upload(data, "application/n-triples", base=BASE)
    second = parse_upload(data, "application/n-triples", base=BASE)
    assert len(set(first.subjects()) | set(second.subjects())) == 2
