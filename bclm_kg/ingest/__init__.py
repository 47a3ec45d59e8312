"""Turn the curated files under ``data/`` into RDF (the asserted and provenance graphs)."""
