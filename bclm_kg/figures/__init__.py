"""The review's figures recomputed from the graph.

Each figure is a named SPARQL query (``bclm_kg/queries/figures/*.rq``) plus a chart spec
(:mod:`.charts`, Vega-Lite through Altair, drawn to SVG by vl-convert) and the review's
bilingual caption (:mod:`.catalogue`). :func:`compute` runs the query on a store and returns a
:class:`Figure` with its rows and the curation notes that concern it; no web framework here.
"""

from __future__ import annotations

from .catalogue import CATALOGUE, FigureSpec, spec
from .compute import Figure, Note, compute, compute_all, to_csv
from .render import svg

__all__ = ["CATALOGUE", "Figure", "FigureSpec", "Note", "compute", "compute_all", "spec", "svg",
           "to_csv"]
