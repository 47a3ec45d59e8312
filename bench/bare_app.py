"""The floor of a Python SPARQL service: a bare WSGI app answering ``GET ?query=`` from an
in-memory pyoxigraph store in the request's thread, results serialised by pyoxigraph, under
Granian with the service's workers and threads — no time limit, no row cap, no negotiation
(JSON only), no headers, logs or metrics. A reference peer in the HTTP benchmark (``bare``):
the gap between it and the service is what the service's guarantees and features cost.

    BCLM_BARE_TRIG=build/bclm.trig granian --interface wsgi bench.bare_app:app
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from urllib.parse import parse_qs

import pyoxigraph as ox

store = ox.Store()
store.bulk_load(path=os.environ["BCLM_BARE_TRIG"], format=ox.RdfFormat.TRIG)


def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
    query = parse_qs(environ.get("QUERY_STRING", "")).get("query", [""])[0]
    try:
        body = store.query(query, use_default_graph_as_union=True).serialize(
            format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError, OSError, AttributeError) as exc:
        message = str(exc).encode()
        start_response("400 Bad Request", [("Content-Type", "text/plain"),
                                           ("Content-Length", str(len(message)))])
        return [message]
    start_response("200 OK", [("Content-Type", "application/sparql-results+json"),
                              ("Content-Length", str(len(body)))])
    return [body]
