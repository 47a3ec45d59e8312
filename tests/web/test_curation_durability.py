"""No acknowledged submission is lost, none is half there.

* ``kill -9``: a writer posts submissions to ``bclm-kg serve --tokens`` while the whole server
  (its process group: gunicorn, its workers, their query workers) is killed, then restarted;
  a few rounds. The kill's moment is tied to the writer's progress, not to the clock, so that
  a slow machine moves it with the commits: in each round, once the writer has had a given
  number of acknowledgements (at least one in the first round), the kill comes after a delay
  drawn from the seed between none and one and a half commits' time — before a commit, inside
  one (the build, the files, the git commit, the switch of the release) or between two.
  Afterwards every acknowledged (201) submission is in the data and the history exactly once,
  the data equals its last commit, it builds, and the served version is the last commit's.
* Readers and writers together on loopback: no error, no lost or duplicated change.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import statistics
import threading
import time

import requests

from bclm_kg import __version__
from bclm_kg.build import build_graphs
from bclm_kg.curation import version_for
from tests.web.conftest import stop_server
from tests.web.curated import CURATOR, bearer, git, make_place, row, serve

SEED = 1203
ACKS_BEFORE_KILL = (1, 0, 2)  # per round: acknowledgements the writer has had before the kill
FIRST_COMMIT_GUESS = 10.0  # seconds a commit takes, until one has been timed
WRITE_TIMEOUT = 600


def row_id(round_: int, i: int) -> str:
    """A study id as the tables want them (surname-year): durab-2025, durac-2025, …"""
    return f"dur{chr(97 + round_)}{chr(97 + i // 26)}{chr(97 + i % 26)}-2025"


def post_row(url: str, rid: str) -> requests.Response:
    body = {"file": "tables/table1.tsv", "rows": [row(id=rid, study=f"Study {rid}",
                                                      source=f"doi:10.1234/{rid}")],
            "note": f"add {rid}"}
    return requests.post(url + "/api/submissions", data=json.dumps(body), timeout=WRITE_TIMEOUT,
                         headers={"Content-Type": "application/json", **bearer(CURATOR)})


def table_ids(place) -> list[str]:
    lines = (place.data / "tables" / "table1.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t", 1)[0] for line in lines if line and not line.startswith("#")]


def committed_submissions(place) -> list[str]:
    return re.findall(r"^Submission: (sub-[0-9a-f]{12})$", git(place.data, "log", "--format=%B"),
                      re.MULTILINE)


def served_version(live) -> str:
    return live.get("/healthz").json()["version"]


def test_kill_9_loses_no_acknowledged_submission(tmp_path, release_dir):
    place = make_place(tmp_path, release_dir)
    rng = random.Random(SEED)
    acked: dict[str, str] = {}  # row id → submission id, for every 201
    commit_seconds: list[float] = []  # how long each acknowledged POST took
    refused: list[str] = []  # any answer but 201 (the writer stops at the first)
    for round_, acks_wanted in enumerate(ACKS_BEFORE_KILL):
        live = serve(place, new_session=True)
        stop = threading.Event()
        progress = threading.Condition()
        round_acks = [0]

        def writer(url: str = live.url, round_: int = round_, stop: threading.Event = stop,
                   progress: threading.Condition = progress,
                   round_acks: list[int] = round_acks) -> None:
            for i in range(100):
                rid = row_id(round_, i)
                started = time.monotonic()
                try:
                    answer = post_row(url, rid)
                except requests.RequestException:
                    return  # the server was killed under this request
                if answer.status_code != 201:
                    refused.append(f"{rid}: {answer.status_code} {answer.text[:300]}")
                    return
                acked[rid] = answer.json()["id"]
                commit_seconds.append(time.monotonic() - started)
                with progress:
                    round_acks[0] += 1
                    progress.notify_all()
                if stop.is_set():
                    return

        thread = threading.Thread(target=writer)
        thread.start()
        with progress:
            progress.wait_for(lambda t=thread, n=round_acks, wanted=acks_wanted:
                              n[0] >= wanted or not t.is_alive(), WRITE_TIMEOUT)
        reached = round_acks[0] >= acks_wanted
        commit = statistics.median(commit_seconds) if commit_seconds else FIRST_COMMIT_GUESS
        stop.wait(rng.uniform(0.0, 1.5 * commit) if reached else 0)  # the fault's moment
        os.killpg(live.process.pid, signal.SIGKILL)
        stop.set()
        live.process.wait()
        thread.join(WRITE_TIMEOUT)
        assert not thread.is_alive()
        assert refused == [], refused
        assert reached, f"round {round_}: the writer had {round_acks[0]} of {acks_wanted} answers"

    live = serve(place)  # the last restart finishes or rolls back what the kill left
    try:
        assert acked, "no submission was acknowledged before a kill"
        ids, subs = table_ids(place), committed_submissions(place)
        for rid, sid in acked.items():
            assert ids.count(rid) == 1, rid
            assert subs.count(sid) == 1, sid
        assert len(subs) == len(set(subs))
        # none half there: the data is its last commit, and every row of it was committed
        assert git(place.data, "status", "--porcelain").strip() == ""
        written = [i for i in ids if re.fullmatch(r"dur[a-z]{3}-2025", i)]
        assert len(written) == len(set(written)) == len(subs)
        version = version_for(len(subs))
        assert version != __version__
        assert served_version(live) == version
        release = live.get("/download/release.json").json()
        assert release["version"] == version
        assert release["commit"] == git(place.data, "rev-parse", "HEAD").strip()
        count = live.get("/sparql", params={"query": (
            'SELECT (COUNT(?s) AS ?n) WHERE { ?s a <https://w3id.org/bclm-kg/ontology/'
            'PublishedStudy> FILTER(REGEX(STR(?s), "/study/dur[a-z]{3}-2025$")) }')},
            headers={"Accept": "application/sparql-results+json"}).json()
        assert int(count["results"]["bindings"][0]["n"]["value"]) == len(written)
    finally:
        stop_server(live)
    build_graphs(place.data)  # the data builds


def test_readers_and_writers_together(tmp_path, release_dir):
    place = make_place(tmp_path, release_dir)
    live = serve(place)
    errors: list[str] = []
    answers: dict[str, requests.Response] = {}
    done = threading.Event()
    reads = [0]

    def reader() -> None:
        session = requests.Session()
        while not done.is_set():
            for path, params in (("/healthz", None), ("/.well-known/void", None),
                                 ("/sparql", {"query": "SELECT (COUNT(*) AS ?n) WHERE "
                                                       "{ ?s ?p ?o }"})):
                response = session.get(live.url + path, params=params, timeout=60)
                reads[0] += 1
                if response.status_code != 200:
                    errors.append(f"{path}: {response.status_code} {response.text[:200]}")

    def writer(rid: str) -> None:
        answers[rid] = post_row(live.url, rid)

    try:
        readers = [threading.Thread(target=reader) for _ in range(3)]
        writers = [threading.Thread(target=writer, args=(f"conc{'ab'[i]}-2025",)) for i in range(2)]
        for thread in readers + writers:
            thread.start()
        for thread in writers:
            thread.join(WRITE_TIMEOUT)
        done.set()
        for thread in readers:
            thread.join(120)
        assert errors == []
        assert reads[0] > 0
        assert {rid: a.status_code for rid, a in answers.items()} == {"conca-2025": 201,
                                                                      "concb-2025": 201}
        subs = committed_submissions(place)
        assert sorted(subs) == sorted(a.json()["id"] for a in answers.values())
        ids = table_ids(place)
        assert ids.count("conca-2025") == ids.count("concb-2025") == 1
        assert served_version(live) == version_for(2)
        assert sorted(a.json()["version"] for a in answers.values()) == \
            [version_for(1), version_for(2)]
    finally:
        stop_server(live)
