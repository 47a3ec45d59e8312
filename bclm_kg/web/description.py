"""The SPARQL Service Description (``GET /sparql``) and the VoID/DCAT dataset description
(``/.well-known/void``), built as triples and rendered like any other graph."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Response, current_app, render_template, request, url_for

from ..formats import formats_of
from ..namespaces import BASE, DCAT, VOID
from ..release import union_formats
from . import queries
from .negotiation import NotAcceptable, negotiate
from .responses import graph_response
from .state import Service, service

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SD = "http://www.w3.org/ns/sparql-service-description#"
DCT = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"
FOAF = "http://xmlns.com/foaf/0.1/"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
REVIEW_DOI = "https://doi.org/10.7659/j.issn.1005-6947.2024.05.002"
GRAPH_STORE_PROTOCOL = "https://www.w3.org/TR/sparql11-http-rdf-update/"



def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD + "integer"))


class _Triples(list):
    def add(self, s, p: str, o) -> None:
        if isinstance(o, str):
            o = ox.Literal(o)
        self.append(ox.Triple(s, _n(p), o))


def _compute_stats(svc: Service) -> dict:
    """Counts and examples from the store."""
    store = svc.store
    first = next(iter(store.query(queries.load("void-stats"))))
    classes = next(iter(store.query(queries.load("void-classes"))))
    return {
        "triples": int(first["triples"].value),
        "subjects": int(first["subjects"].value),
        "properties": int(first["properties"].value),
        "objects": int(first["objects"].value),
        "classes": int(classes["classes"].value),
        "entities": int(classes["entities"].value),
        "graphs": [(s["graph"], int(s["triples"].value))
                   for s in store.query(queries.load("void-graphs"))],
        "examples": [(s["kind"].value, s["example"].value)
                     for s in store.query(queries.load("void-examples"))],
    }


def stats() -> dict:
    """Dataset statistics, computed once per service."""
    svc = service()
    if "stats" not in svc.cache:
        svc.cache["stats"] = _compute_stats(svc)
    return svc.cache["stats"]


def dataset_iri() -> ox.NamedNode:
    return _n(f"{BASE}release/{service().version}")


def service_triples() -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of this endpoint."""
    config = current_app.config
    endpoint = _n(url_for("sparql.endpoint", _external=True))
    info = stats()
    t = _Triples()
    t.add(endpoint, RDF + "type", _n(SD + "Service"))
    t.add(endpoint, SD + "endpoint", endpoint)
    t.add(endpoint, SD + "supportedLanguage", _n(SD + "SPARQL11Query"))
    t.add(endpoint, SD + "feature", _n(SD + "UnionDefaultGraph"))
    for fmt in formats_of("results", "graph"):
        if fmt.w3c_iri:
            t.add(endpoint, SD + "resultFormat", _n(fmt.w3c_iri))
    t.add(endpoint, DCT + "title", "bclm-kg SPARQL endpoint (read-only)")
    examples = _n(url_for("linking.sparql_examples", _external=True))
    t.add(endpoint, RDFS + "seeAlso", examples)
    t.add(examples, RDF + "type", _n(VOID + "Dataset"))
    t.add(examples, RDFS + "label", "SPARQL examples (sh:SPARQLExecutable)")
    t.add(endpoint, RDFS + "comment",
          f"Read-only SPARQL 1.1 Query endpoint. Each query is stopped after "
          f"{float(config['QUERY_TIMEOUT']):g} s (HTTP 503) and returns at most "
          f"{int(config['MAX_ROWS'])} rows or triples (header X-Query-Truncated: true when "
          f"cut). Queries over {int(config['MAX_QUERY_BYTES'])} bytes get HTTP 413. "
          "SPARQL Update is not accepted; SERVICE only to the allowlisted endpoints"
          + (": " + ", ".join(e.url for e in config["FEDERATION"].endpoints)
             if config["FEDERATION"] else " (none: SERVICE is refused).")
          + " Example queries: /.well-known/sparql-examples.")
    feature = _n(url_for("sparql.endpoint", _external=True) + "#inference-none")
    t.add(endpoint, SD + "feature", feature)
    t.add(feature, RDF + "type", _n(SD + "Feature"))
    t.add(feature, RDFS + "label", "inference=none")
    t.add(feature, RDFS + "comment",
          "Add the request parameter inference=none to run a query without the graph the "
          f"reasoner wrote ({BASE}graph/inferred): the default graph is then the union of "
          "the ontology, asserted and provenance graphs only.")
    store = _n(url_for("graph_store.read", _external=True))
    t.add(endpoint, RDFS + "seeAlso", store)
    t.add(store, DCT + "conformsTo", _n(GRAPH_STORE_PROTOCOL))
    t.add(store, RDFS + "label", "SPARQL 1.1 Graph Store HTTP Protocol, read side")
    t.add(store, RDFS + "comment",
          "GET or HEAD ?graph=IRI (a named graph below) or ?default (their union), in any RDF "
          "format by Accept or format=. The graph store is read-only: PUT, POST, DELETE and "
          "PATCH answer 405; changes are submitted at POST /api/submissions.")
    dataset = ox.BlankNode()
    default = ox.BlankNode()
    t.add(endpoint, SD + "defaultDataset", dataset)
    t.add(dataset, RDF + "type", _n(SD + "Dataset"))
    t.add(dataset, DCT + "source", dataset_iri())
    t.add(dataset, SD + "defaultGraph", default)
    t.add(default, RDF + "type", _n(SD + "Graph"))
    t.add(default, VOID + "triples", _int(info["triples"]))
    for graph, count in info["graphs"]:
        named, inner = ox.BlankNode(), ox.BlankNode()
        t.add(dataset, SD + "namedGraph", named)
        t.add(named, RDF + "type", _n(SD + "NamedGraph"))
        t.add(named, SD + "name", graph)
        t.add(named, SD + "graph", inner)
        t.add(inner, RDF + "type", _n(SD + "Graph"))
        t.add(inner, VOID + "triples", _int(count))
    return t


def void_triples() -> list[ox.Triple]:
    """VoID and DCAT description of the dataset: size, licence, version, dumps, examples."""
    svc = service()
    info = stats()
    ds = dataset_iri()
    endpoint = _n(url_for("sparql.endpoint", _external=True))
    t = _Triples()
    for cls in (VOID + "Dataset", str(DCAT) + "Dataset"):
        t.add(ds, RDF + "type", _n(cls))
    t.add(ds, DCT + "title", ox.Literal("bclm-kg: surgical treatment of breast cancer liver "
                                        "metastases", language="en"))
    t.add(ds, DCT + "title", ox.Literal("乳腺癌肝转移外科治疗知识图谱", language="zh"))
    t.add(ds, DCT + "description", ox.Literal(
        "Knowledge graph of the evidence on surgical and local treatment of breast cancer "
        "liver metastases, built from one review paper (Jiang & Li, 2024).", language="en"))
    t.add(ds, DCT + "license", _n(LICENSE))
    t.add(ds, DCT + "source", _n(REVIEW_DOI))
    t.add(ds, OWL + "versionInfo", svc.version)
    t.add(ds, str(DCAT) + "version", svc.version)
    t.add(ds, FOAF + "homepage", _n(url_for("ui.home", _external=True)))
    t.add(ds, VOID + "sparqlEndpoint", endpoint)
    t.add(ds, VOID + "uriSpace", BASE)
    t.add(ds, VOID + "vocabulary", _n(BASE + "ontology/"))
    t.add(ds, VOID + "triples", _int(info["triples"]))
    t.add(ds, VOID + "entities", _int(info["entities"]))
    t.add(ds, VOID + "classes", _int(info["classes"]))
    t.add(ds, VOID + "properties", _int(info["properties"]))
    t.add(ds, VOID + "distinctSubjects", _int(info["subjects"]))
    t.add(ds, VOID + "distinctObjects", _int(info["objects"]))
    for _kind, iri in info["examples"]:
        t.add(ds, VOID + "exampleResource", _n(iri))
    for fmt in union_formats():
        name, media = fmt.release_file, fmt.media_type
        url = _n(url_for("dumps.dump", name=name, _external=True))
        t.add(ds, VOID + "dataDump", url)
        dist = _n(url_for("dumps.dump", name=name, _external=True) + "#distribution")
        t.add(ds, str(DCAT) + "distribution", dist)
        t.add(dist, RDF + "type", _n(str(DCAT) + "Distribution"))
        t.add(dist, str(DCAT) + "downloadURL", url)
        t.add(dist, str(DCAT) + "mediaType", _n(f"https://www.iana.org/assignments/media-types/"
                                                f"{media}"))
        t.add(dist, DCT + "format", media)
        t.add(dist, DCT + "license", _n(LICENSE))
    service_node = _n(url_for("sparql.endpoint", _external=True) + "#service")
    t.add(ds, str(DCAT) + "distribution", _n(url_for("sparql.endpoint", _external=True)
                                              + "#distribution"))
    dist = _n(url_for("sparql.endpoint", _external=True) + "#distribution")
    t.add(dist, RDF + "type", _n(str(DCAT) + "Distribution"))
    t.add(dist, str(DCAT) + "accessURL", endpoint)
    t.add(dist, str(DCAT) + "accessService", service_node)
    t.add(service_node, RDF + "type", _n(str(DCAT) + "DataService"))
    t.add(service_node, str(DCAT) + "endpointURL", endpoint)
    t.add(service_node, str(DCAT) + "servesDataset", ds)
    t.add(service_node, DCT + "conformsTo", _n("https://www.w3.org/TR/sparql11-protocol/"))
    store = _n(url_for("graph_store.read", _external=True))
    store_dist, store_service = _n(store.value + "#distribution"), _n(store.value + "#service")
    t.add(ds, str(DCAT) + "distribution", store_dist)
    t.add(store_dist, RDF + "type", _n(str(DCAT) + "Distribution"))
    t.add(store_dist, str(DCAT) + "accessURL", store)
    t.add(store_dist, str(DCAT) + "accessService", store_service)
    t.add(store_service, RDF + "type", _n(str(DCAT) + "DataService"))
    t.add(store_service, str(DCAT) + "endpointURL", store)
    t.add(store_service, str(DCAT) + "servesDataset", ds)
    t.add(store_service, DCT + "conformsTo", _n(GRAPH_STORE_PROTOCOL))
    for graph, count in info["graphs"]:
        t.add(ds, VOID + "subset", graph)
        t.add(graph, RDF + "type", _n(VOID + "Dataset"))
        t.add(graph, VOID + "triples", _int(count))
        t.add(graph, VOID + "dataDump", _n(url_for("graph_store.read", graph=graph.value,
                                                   _external=True)))
    return t


def service_description() -> Response:
    try:
        fmt = negotiate(request, ["graph", "html"])
    except NotAcceptable:
        fmt = formats_of("graph")[0]
    if fmt.kind == "html":
        return Response(render_template("query.html", query=None, autorun=False, inference=True),
                        content_type="text/html; charset=utf-8")
    return graph_response(service_triples(), fmt)


def void_description() -> Response:
    return graph_response(void_triples(), negotiate(request, ["graph"]))
