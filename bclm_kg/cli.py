"""The ``bclm-kg`` command line: build, validate, export, serve.

Where data, release and store live is resolved once here (options, then ``BCLM_*`` settings,
then defaults; see :mod:`bclm_kg.project`). Every error ends the command with one line on
standard error and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import BclmError
from .project import Project

EXIT_ERROR = 1


class Commands(click.Group):
    """A click group that turns every uncaught error into one line and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BclmError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            _fail("interrupted", status=130)
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            _fail(f"{where}{exc.strerror or exc}")
        except Exception as exc:  # anything else is a bug: still one line, never a traceback
            _fail(f"unexpected {type(exc).__name__}: {exc}")


def _fail(message: str, status: int = EXIT_ERROR) -> None:
    first, _, rest = message.partition("\n")
    click.echo(f"error: {first}", err=True)
    if rest.strip():
        click.echo(rest.rstrip(), err=True)
    sys.exit(status)


PATH = click.Path(path_type=Path)
DIR = click.Path(path_type=Path, file_okay=False)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bclm-kg")
def main() -> None:
    """Knowledge graph of surgical and local treatment of breast cancer liver metastases."""


@main.command()
@click.option("--out", "out_dir", type=PATH, default=None,
              help="Release directory [default: $BCLM_RELEASE_DIR or ./build].")
@click.option("--data", "data_dir", type=DIR, default=None,
              help="Curated data directory [default: $BCLM_DATA_DIR, ./data in a checkout, "
                   "else the data shipped with the package].")
def build(out_dir: Path | None, data_dir: Path | None) -> None:
    """data → RDF → reasoning → SHACL → release files in OUT."""
    from .build import build_release
    from .progress import console_reporter

    project = Project.resolve(data=data_dir, release=out_dir, shipped_release=False)
    with console_reporter() as report:
        try:
            summary = build_release(project.release_dir, project.data_dir, report=report)
        except BclmError as exc:
            report.fail(str(exc))
            sys.exit(EXIT_ERROR)
    report.summary(summary)


@main.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--engine", type=click.Choice(["rust", "pyshacl"]), default=None,
              help="SHACL engine [default: $BCLM_SHACL_ENGINE or rust]; pySHACL is the "
                   "reference, the Rust engine gives the same results much faster.")
def validate(file: Path, engine: str | None) -> None:
    """Validate FILE (Turtle, JSON-LD, N-Triples, TriG, RDF/XML) against the shapes."""
    from .shapes import validate_file

    conforms, text = validate_file(file, engine)
    click.echo(text)
    sys.exit(0 if conforms else 1)


def _export_choices() -> list[str]:
    from .formats import export_names

    return sorted(export_names())


@main.command()
@click.option("--format", "fmt", type=click.Choice(_export_choices(), case_sensitive=False),
              required=True,
              help="An RDF format exports the whole graph; csv, tsv or json the per-arm table.")
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to this file instead of standard output.")
@click.option("--release", "release_dir", type=PATH, default=None,
              help="Release to export from [default: $BCLM_RELEASE_DIR, ./build, or the "
                   "release shipped with the package].")
def export(fmt: str, out_file: Path | None, release_dir: Path | None) -> None:
    """Export the graph (or the per-arm table) from the release (built first if missing)."""
    from .build import prepare_release
    from .export import export_release, write_export

    project = Project.resolve(release=release_dir)
    write_export(export_release(prepare_release(project), fmt.lower()), out_file)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--store", "store_path", default=None,
              help="memory, oxigraph:DIR (on-disk Oxigraph, loaded once, opened read-only by "
                   "every worker) or sparql:URL (an existing SPARQL 1.1 store holding the "
                   "release) [default: $BCLM_STORE, else memory].")
@click.option("--release", "release_dir", type=PATH, default=None,
              help="Release to serve, built first if missing [default: $BCLM_RELEASE_DIR, "
                   "./build, or the release shipped with the package].")
@click.option("--data", "data_dir", type=DIR, default=None,
              help="Curated data to build the release from when there is none.")
def serve(host: str, port: int, store_path: str | None, release_dir: Path | None,
          data_dir: Path | None) -> None:
    """Serve the release: SPARQL endpoint, Linked Data pages, dumps, query page."""
    from .web.serve import run

    run(Project.resolve(data=data_dir, release=release_dir, store=store_path), host=host,
        port=port)


if __name__ == "__main__":
    main()
