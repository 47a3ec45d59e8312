"""The build cache: entries named by their inputs, written atomically, never read when torn;
HermiT's classification and the prefix map come from it only for exactly the same inputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDFS

from bclm_kg import cache, reasoning
from bclm_kg.linking import publish
from bclm_kg.namespaces import BCLM
from bclm_kg.ontology import load_ontology


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_entries_round_trip_and_torn_ones_are_ignored(cache_dir: Path) -> None:
    name = cache.key("kind", b"input")
    assert cache.get("kind", name) is None
    cache.put("kind", name, b"result\nwith lines")
    assert cache.get("kind", name) == b"result\nwith lines"
    entry = cache_dir / "kind" / name
    entry.write_bytes(entry.read_bytes()[:-3])  # a torn write
    assert cache.get("kind", name) is None
    assert [p.name for p in (cache_dir / "kind").iterdir()] == [name]  # no temporary left


def test_keys_separate_their_parts() -> None:
    assert cache.key("ab", "c") != cache.key("a", "bc")
    assert cache.key("a") == cache.key(b"a")


def test_off_and_unwritable_caches_are_skipped(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, cache.OFF)
    cache.put("kind", "name", b"x")
    assert cache.get("kind", "name") is None
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(cache.ENV, str(blocker))
    cache.put("kind", "name", b"x")  # no error
    assert cache.get("kind", "name") is None


def _hierarchy_pairs(hierarchy: Graph) -> set[tuple[str, str]]:
    prefix = str(BCLM)
    return {(str(a)[len(prefix):], str(b)[len(prefix):])
            for a, b in hierarchy.subject_objects(RDFS.subClassOf)
            if str(a).startswith(prefix) and str(b).startswith(prefix)}


def test_classification_is_kept_for_the_same_ontology_only(
        cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ontology = load_ontology()
    runs: list[int] = []
    hermit = reasoning._hermit_additions

    def counted(graph: Graph) -> Graph:
        runs.append(len(graph))
        return hermit(graph)

    monkeypatch.setattr(reasoning, "_hermit_additions", counted)
    first = _hierarchy_pairs(reasoning.classify(ontology))
    # HermiT's own inference: a European resection study is a European study (defined classes)
    assert ("EuropeanResectionStudy", "EuropeanStudy") in first
    again = _hierarchy_pairs(reasoning.classify(load_ontology()))  # other blank-node labels
    assert again == first
    assert len(runs) == 1
    assert len(list((cache_dir / "hermit").iterdir())) == 1

    # one axiom more (every resection study is prospective): HermiT runs again and finds that
    # a European resection study is then a prospective resection study (a defined class)
    changed = load_ontology()
    changed.add((BCLM.ResectionStudy, RDFS.subClassOf, BCLM.ProspectiveStudy))
    reclassified = _hierarchy_pairs(reasoning.classify(changed))
    assert len(runs) == 2
    assert ("EuropeanResectionStudy", "ProspectiveResectionStudy") in reclassified
    assert ("EuropeanResectionStudy", "ProspectiveResectionStudy") not in first


def test_prefix_map_is_the_same_from_the_cache(cache_dir: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    made = publish.prefix_map_bytes()
    assert b'"prefix": "ncit"' in made
    monkeypatch.setattr(publish, "build_converter", lambda: pytest.fail("not from the cache"))
    assert publish.prefix_map_bytes() == made
