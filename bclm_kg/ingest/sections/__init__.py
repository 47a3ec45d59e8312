"""Loaders of the sections of the narrative files, one module each: a loader takes the
narrative context and one item of its section (``data/narrative/evidence.yaml`` or
``history.yaml``) and emits that item's triples."""
