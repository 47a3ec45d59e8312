"""rdflib-endpoint serving a release's TriG file (the union of its graphs as default graph):
``python -m bench.rdflib_app TRIG PORT``. A peer in the HTTP benchmark."""

from __future__ import annotations

import sys

import uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint


def main(trig: str, port: int) -> None:
    dataset = Dataset(default_union=True)
    dataset.parse(trig, format="trig")
    app = SparqlEndpoint(graph=dataset, public_url=f"http://127.0.0.1:{port}/")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
