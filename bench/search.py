"""Speed of the search on the real release: p50 of the /api/* routes and /evidence (Flask's
test client, in process) and of question parsing. Reported, never asserted.

Answers are kept per selection (the store of a release never changes): ``routes_p50_ms`` is a
repeated request, ``routes_uncached_p50_ms`` the same request with those caches emptied first
(the SPARQL runs again; vocabularies and the catalogue stay loaded).

    python -m bench.search [--release build] [--repeat 30]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode

from bclm_kg.web import create_app

ROUTES = [
    "/api/studies", "/api/studies?intervention=MWA&status=completed",
    "/api/trials?intervention=resection&design=prospective&region=Europe",
    "/api/arms?median_os_min=60&sort=-median_os", "/api/arms.csv?os5_min=50",
    "/api/ask?" + urlencode({"q": "欧洲 前瞻性 肝切除 试验"}),
    "/api/ask?" + urlencode({"q": "median OS of HR vs RFA"}),
    "/evidence", "/evidence?intervention=RFA&status=completed",
]
QUESTIONS = ["prospective HR trials in Europe", "欧洲 前瞻性 肝切除 试验",
             "RFA studies from China with 5-year OS", "微波消融 研究", "how many ongoing trials"]


def p50(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--release", type=Path, default=Path("build"))
    args.add_argument("--repeat", type=int, default=30)
    opts = args.parse_args()
    from bclm_kg.build import prepare_release
    from bclm_kg.project import Project

    release = prepare_release(Project.resolve(release=opts.release))  # built if missing
    app = create_app({"RELEASE_DIR": release, "QUERY_WORKERS": 1, "ACCESS_LOG": False})
    client = app.test_client()
    report: dict = {"routes_p50_ms": {}, "routes_uncached_p50_ms": {}, "routes_first_ms": {}}
    from bclm_kg.search.ask import parser
    from bclm_kg.web.api import searcher

    with app.app_context():
        search = searcher()
    for route in ROUTES:
        start = time.perf_counter()
        assert client.get(route).status_code == 200, route
        report["routes_first_ms"][route] = round((time.perf_counter() - start) * 1000, 2)
        samples = []
        for _ in range(opts.repeat):
            start = time.perf_counter()
            client.get(route)
            samples.append(time.perf_counter() - start)
        report["routes_p50_ms"][route] = p50(samples)
        samples = []
        for _ in range(opts.repeat):
            search._matches.cache_clear()
            search._counts.cache_clear()
            start = time.perf_counter()
            client.get(route)
            samples.append(time.perf_counter() - start)
        report["routes_uncached_p50_ms"][route] = p50(samples)
    qp = parser(search)
    samples = []
    for _ in range(opts.repeat):
        for q in QUESTIONS:
            start = time.perf_counter()
            qp.parse(q)
            samples.append(time.perf_counter() - start)
    report["question_parse_p50_ms"] = p50(samples)
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
