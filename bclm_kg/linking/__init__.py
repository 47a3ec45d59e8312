"""Linking this graph to the biomedical world: identifiers in any spelling, lookups, the
external-terms graph, mappings as data, SPARQL examples as RDF, and allowlisted federation.

Nothing here imports Flask; ``web/`` only translates HTTP to these functions.
"""
