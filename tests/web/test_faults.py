"""Faults: a query worker killed mid-query, a corrupted or truncated release at start."""

from __future__ import annotations

import json
import os
import shutil
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from bclm_kg.cli import main
from bclm_kg.web import create_app
from bclm_kg.web.state import ReleaseCorrupt

QUERY = "/query/03-trials"
JSON = {"Accept": "application/sparql-results+json"}


def test_worker_killed_mid_query(fixture_release: Path) -> None:
    app = create_app({"RELEASE_DIR": fixture_release, "QUERY_WORKERS": 2, "ACCESS_LOG": False,
                      "QUERY_TIMEOUT": 60.0, "RESULT_CACHE_BYTES": 0})
    pool = app.extensions["bclm"].pool
    client = app.test_client()
    try:
        assert client.get(QUERY, headers=JSON).status_code == 200  # both workers started
        assert client.get(QUERY, headers=JSON).status_code == 200
        doomed = pool._idle.queue[0]  # the worker the next request gets
        send = doomed.conn.send

        def send_then_die(job) -> None:  # the process dies holding the query, unanswered
            os.kill(doomed.process.pid, signal.SIGSTOP)
            send(job)
            doomed.process.kill()

        doomed.conn.send = send_then_die
        killed = client.get(QUERY, headers=JSON)
        assert killed.status_code == 503
        assert "stopped unexpectedly" in killed.text
        others = [client.get(QUERY, headers=JSON) for _ in range(4)]
        assert [r.status_code for r in others] == [200] * 4
        assert pool.restarts == 1 and doomed.process.poll() is not None
        assert doomed not in pool._all
    finally:
        pool.close()


@pytest.fixture
def release_copy(real_release: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "release"
    shutil.copytree(real_release, copy)
    return copy


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_truncated_release_is_refused_naming_the_file(release_copy: Path) -> None:
    truncate(release_copy / "bclm.trig")
    with pytest.raises(ReleaseCorrupt, match=r"bclm\.trig: the release file is corrupted"):
        create_app({"RELEASE_DIR": release_copy, "QUERY_WORKERS": 0})
    result = CliRunner().invoke(main, ["serve", "--release", str(release_copy)])
    assert result.exit_code == 1
    assert f"{release_copy / 'bclm.trig'}: the release file is corrupted" in result.output


def test_corrupted_dump_is_refused_too(release_copy: Path) -> None:
    path = release_copy / "bclm.jsonld"
    path.write_bytes(path.read_bytes().replace(b"ruiz", b"ruis", 1))
    with pytest.raises(ReleaseCorrupt, match=r"bclm\.jsonld"):
        create_app({"RELEASE_DIR": release_copy, "QUERY_WORKERS": 0})


def test_unloadable_release_without_checksums_names_the_file(release_copy: Path) -> None:
    manifest = json.loads((release_copy / "release.json").read_text(encoding="utf-8"))
    manifest.pop("files")
    (release_copy / "release.json").write_text(json.dumps(manifest), encoding="utf-8")
    truncate(release_copy / "bclm.trig")
    with pytest.raises(ReleaseCorrupt, match=r"bclm\.trig: cannot load the release"):
        create_app({"RELEASE_DIR": release_copy, "QUERY_WORKERS": 0})
