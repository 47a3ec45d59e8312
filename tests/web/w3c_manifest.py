"""Reading and running W3C HTTP test manifests (SPARQL 1.1 Protocol, Graph Store Protocol).

A test is a list of ``ht:Request``s, each with its method, path, headers, body and the
expected ``ht:Response`` (status class or code, headers, body). Paths start with the suite's
own prefix (``/sparql/``, ``/gsp``), replaced by ours when a request is sent.
"""

from __future__ import annotations

from pathlib import Path

import rdflib
from flask.testing import FlaskClient
from rdflib.collection import Collection
from werkzeug.test import TestResponse

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")

# The status names the manifests use, as codes ("2xx"-style classes keep their digit only).
STATUS_CODES = {"OK": "200", "Created": "201", "NoContent": "204", "BadRequest": "400",
                "NotFound": "404", "MethodNotAllowed": "405"}

Test = tuple[str, rdflib.Graph, rdflib.term.Node]


def load_tests(path: Path, base: str | None = None) -> list[Test]:
    """(name, manifest graph, test node) of every entry, following ``mf:include``."""
    graph = rdflib.Graph().parse(path, format="turtle", publicID=base)
    manifest = next(graph.subjects(rdflib.RDF.type, MF.Manifest))
    tests: list[Test] = []
    included = graph.value(manifest, MF.include)
    if included is not None:
        for part in Collection(graph, included):
            tests += load_tests(path.parent / str(part).rsplit("/", 1)[-1])
    entries = graph.value(manifest, MF.entries)
    if entries is not None:
        tests += [(str(test).rsplit("#", 1)[1], graph, test)
                  for test in Collection(graph, entries)]
    return tests


def requests_of(graph: rdflib.Graph, test) -> list:
    action = graph.value(test, MF.action)
    return list(Collection(graph, graph.value(action, HT.requests)))


def headers_of(graph: rdflib.Graph, message) -> dict[str, str]:
    """A request's or response's headers, by lower-case name."""
    listed = graph.value(message, HT.headers)
    if listed is None:
        return {}
    return {str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
            for h in Collection(graph, listed)}


def body_of(graph: rdflib.Graph, message) -> bytes | None:
    content = graph.value(message, HT.body)
    if content is None:
        return None
    encoding = str(graph.value(content, CNT.characterEncoding) or "UTF-8")
    return str(graph.value(content, CNT.chars)).encode(encoding)


def method_of(graph: rdflib.Graph, req) -> str:
    return str(graph.value(req, HT.methodName))


def path_of(graph: rdflib.Graph, req, prefix: str, ours: str) -> str:
    """The request's path with the suite's ``prefix`` replaced by ``ours``."""
    return str(graph.value(req, HT.absolutePath)).replace(prefix, ours, 1)


def send(client: FlaskClient, graph: rdflib.Graph, req, prefix: str, ours: str) -> TestResponse:
    return client.open(path_of(graph, req, prefix, ours), method=method_of(graph, req),
                       data=body_of(graph, req), headers=headers_of(graph, req))


def expected_statuses(graph: rdflib.Graph, req) -> set[str]:
    """The status codes (``"404"``) or classes (``"2"``) the request may be answered with."""
    out = set()
    for status in graph.objects(graph.value(req, HT.resp), MF.expectedStatus):
        name = str(status).rsplit("#", 1)[1]
        out.add(name.removeprefix("StatusCode")[0] if name.startswith("StatusCode")
                else STATUS_CODES[name])
    return out


def check_status(graph: rdflib.Graph, req, response: TestResponse) -> None:
    expected = expected_statuses(graph, req)
    status = str(response.status_code)
    assert status in expected or status[0] in expected, \
        f"status {status}, expected {sorted(expected)}: {response.data[:300]!r}"
