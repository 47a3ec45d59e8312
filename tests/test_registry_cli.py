"""``bclm-kg import-registry``: what it prints, refuses and posts, on temporary copies of
``data/`` (the records are the test records of ``tests/fixtures/registry``; a service on
127.0.0.1 stands for ``bclm-kg serve --tokens``)."""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from bclm_kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
RECORDS = ROOT / "tests" / "fixtures" / "registry"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def run(*args: str) -> object:
    return CliRunner().invoke(main, ["import-registry", *args])


def test_dry_run_prints_the_proposal_and_changes_nothing(data: Path) -> None:
    before = (data / "narrative/evidence.yaml").read_bytes()
    result = run(str(RECORDS / "NCT06135714-completed-results.json"), "--data", str(data),
                 "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == ("NCT06135714: ClinicalTrials.gov record last updated 2026-08-12 "
                        "(https://clinicaltrials.gov/study/NCT06135714); the graph's registry "
                        "facts are none yet")
    assert "  registry_status: (none) → COMPLETED" in lines
    assert "  registry_results_posted: (none) → true" in lines
    body = json.loads(result.stdout[result.stdout.index("{"):])
    assert body["source"] == "https://clinicaltrials.gov/study/NCT06135714"
    assert body["corrections"][0]["cells"]["registry_enrolment"] == 331
    assert (data / "narrative/evidence.yaml").read_bytes() == before


def test_nothing_to_change_exits_0(data: Path) -> None:
    path = data / "narrative/evidence.yaml"
    text = path.read_text("utf-8")
    anchor = "  - id: NCT04079049\n"
    path.write_text(text.replace(anchor, anchor + """\
    registry_last_update: '2025-09-17'
    registry_status: ACTIVE_NOT_RECRUITING
    registry_enrolment: 200
    registry_enrolment_type: ESTIMATED
    registry_start: '2019-10-01'
    registry_start_type: ACTUAL
    registry_primary_completion: '2027-12'
    registry_primary_completion_type: ESTIMATED
    registry_completion: '2029-12'
    registry_completion_type: ESTIMATED
    registry_results_posted: false
""", 1), "utf-8")
    result = run(str(RECORDS / "NCT04079049.json"), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == ("nothing to change: the graph agrees with the "
                                              "record")


def test_unknown_trial_is_refused_with_the_graphs_trials(data: Path) -> None:
    result = run(str(RECORDS / "NCT99999999-not-in-graph.json"), "--data", str(data))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: NCT99999999 is not a trial of the graph; its ClinicalTrials.gov trials are "
        "NCT02251353, NCT02364557, NCT04079049, NCT04817813, NCT05303038, NCT06093022, "
        "NCT06135714")


def test_malformed_record_names_file_and_json_path(data: Path, tmp_path: Path) -> None:
    record = json.loads((RECORDS / "NCT04079049.json").read_text("utf-8"))
    del record["protocolSection"]["identificationModule"]["nctId"]
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record), "utf-8")
    result = run(str(path), "--data", str(data))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {path}: protocolSection.identificationModule.nctId: missing")
    assert "Traceback" not in result.output


class _Service(BaseHTTPRequestHandler):
    """Stands for ``bclm-kg serve --tokens``: records what is posted, answers ``status``."""

    posted: list[dict] = []
    status = 201

    def do_POST(self) -> None:  # noqa: N802 (the handler's method name)
        length = int(self.headers["Content-Length"])
        type(self).posted.append({"path": self.path,
                                  "authorization": self.headers["Authorization"],
                                  "body": json.loads(self.rfile.read(length))})
        answer = json.dumps({"id": "sub-000000000001", "state": "committed"}).encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def service():
    _Service.posted, _Service.status = [], 201
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Service)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_url_posts_the_proposal_to_the_service(data: Path, service: str,
                                               tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("secret-token\n", "utf-8")
    before = (data / "narrative/evidence.yaml").read_bytes()
    result = run(str(RECORDS / "NCT06135714-completed-results.json"), "--data", str(data),
                 "--url", service, "--token-file", str(token))
    assert result.exit_code == 0, result.output
    [posted] = _Service.posted
    assert posted["path"] == "/api/submissions"
    assert posted["authorization"] == "Bearer secret-token"
    assert posted["body"]["source"] == "https://clinicaltrials.gov/study/NCT06135714"
    assert posted["body"]["corrections"][0]["cells"]["registry_status"] == "COMPLETED"
    assert json.loads(result.stdout.splitlines()[-1])["state"] == "committed"
    assert (data / "narrative/evidence.yaml").read_bytes() == before


def test_url_refused_by_the_service_exits_1(data: Path, service: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BCLM_TOKEN", "secret-token")
    _Service.status = 422
    result = run(str(RECORDS / "NCT04079049.json"), "--data", str(data), "--url", service)
    assert result.exit_code == 1
    assert len(_Service.posted) == 1


def test_url_with_as_is_a_usage_error(data: Path) -> None:
    result = run(str(RECORDS / "NCT04079049.json"), "--data", str(data), "--url",
                 "http://127.0.0.1:9", "--as", "Someone")
    assert result.exit_code == 2
    assert "--release and --as are for a local submission" in result.output
