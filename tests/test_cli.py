"""The command line's errors: one line on standard error, a non-zero exit, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bclm_kg import build as build_module
from bclm_kg.cli import main
from bclm_kg.project import Project


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_unexpected_error_is_one_line(runner: CliRunner, monkeypatch: pytest.MonkeyPatch,
                                      tmp_path: Path) -> None:
    def explode(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(build_module, "build_release", explode)
    result = runner.invoke(main, ["build", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == "error: unexpected RuntimeError: boom"
    assert "Traceback" not in result.output


def test_os_error_names_the_path(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = runner.invoke(main, ["export", "--format", "ttl", "--release",
                                  str(blocker / "release")], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert str(blocker) in result.stderr
    assert "Traceback" not in result.output


def test_unknown_export_format_lists_the_choices(runner: CliRunner) -> None:
    result = runner.invoke(main, ["export", "--format", "docx"])
    assert result.exit_code == 2
    assert "'docx' is not one of" in result.stderr and "'turtle'" in result.stderr


def test_missing_data_directory(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "--data", str(tmp_path / "nowhere"), "--out",
                                  str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "nowhere: no such data directory" in result.stderr
    assert not (tmp_path / "out").exists()


def test_project_resolution(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    (checkout / "data").mkdir(parents=True)
    (checkout / "data" / "review.yaml").write_text("{}")
    project = Project.resolve(env={}, cwd=checkout)
    assert project.data_dir == (checkout / "data").resolve()
    assert project.release_dir == (checkout / "build").resolve()
    assert project.store_path is None
    elsewhere = Project.resolve(env={"BCLM_RELEASE_DIR": "rel", "BCLM_STORE": "st"},
                                cwd=tmp_path)
    assert elsewhere.bundled_data  # no data/ here: the data shipped with the package
    assert elsewhere.release_dir == (tmp_path / "rel").resolve()
    assert elsewhere.store_path == (tmp_path / "st").resolve()
    explicit = Project.resolve(data="d", release="r", env={"BCLM_RELEASE_DIR": "rel"},
                               cwd=tmp_path)
    assert (explicit.data_dir, explicit.release_dir) == ((tmp_path / "d").resolve(),
                                                         (tmp_path / "r").resolve())


def test_validate_truncated_file_names_the_line(runner: CliRunner, tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.ttl"
    truncated.write_text("@prefix x: <https://example.org/> .\nx:a x:b", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(truncated)])
    assert result.exit_code == 1
    assert f"{truncated}:2: cannot parse as turtle: unexpected end of file" in result.output
