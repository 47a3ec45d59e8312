"""The ``bclm-kg`` command line: build, validate, report, export, serve."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import BclmError

DEFAULT_OUT = Path("build")


def project_root() -> Path:
    """The checkout holding ``data/``, ``ontology/`` and ``shapes/``."""
    return Path(__file__).resolve().parent.parent


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bclm-kg")
def main() -> None:
    """Knowledge graph of surgical and local treatment of breast cancer liver metastases."""


@main.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="Release directory.")
@click.option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Curated data directory (default: the checkout's data/).")
def build(out_dir: Path, data_dir: Path | None) -> None:
    """data → RDF → reasoning → SHACL → release files in OUT."""
    from .build import build_release
    from .progress import console_reporter

    with console_reporter() as report:
        try:
            summary = build_release(out_dir, data_dir=data_dir, report=report)
        except BclmError as exc:
            report.fail(str(exc))
            sys.exit(1)
    report.summary(summary)


@main.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
def validate(file: Path) -> None:
    """Validate FILE (Turtle, JSON-LD, N-Triples, TriG, RDF/XML) against the shapes."""
    from .shapes import validate_file

    conforms, text = validate_file(file)
    click.echo(text)
    sys.exit(0 if conforms else 1)


@main.command()
@click.argument("file", required=False, type=click.Path(path_type=Path, exists=True,
                                                         dir_okay=False))
@click.option("--release", "release_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="Release to report on when no FILE is given.")
@click.option("--level", type=click.Choice(["ERROR", "WARN", "INFO"]), default="INFO",
              show_default=True, help="Lowest severity to list.")
def report(file: Path | None, release_dir: Path, level: str) -> None:
    """Quality report on the release (or on FILE): labels, definitions and their sources,
    domains and ranges, external IRIs, classes matched to individuals. Exit 1 on errors."""
    from .quality import SEVERITIES, check_file
    from .release import TRIG

    target = file or release_dir / TRIG
    if not target.is_file():
        click.echo(f"error: {target} does not exist (run `bclm-kg build` first)", err=True)
        sys.exit(2)
    try:
        result = check_file(target)
    except BclmError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(result.text(SEVERITIES[: SEVERITIES.index(level) + 1]), nl=False)
    sys.exit(1 if result.errors else 0)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["ttl", "jsonld", "nt", "rdfxml", "csv"]),
              required=True, help="Output format.")
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to this file instead of standard output.")
@click.option("--release", "release_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="Release to export from (built first if missing).")
def export(fmt: str, out_file: Path | None, release_dir: Path) -> None:
    """Export the graph (or the per-arm CSV table) from the release."""
    from .export import export_release

    try:
        data = export_release(release_dir, fmt)
    except BclmError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if out_file is None:
        sys.stdout.buffer.write(data)
    else:
        out_file.write_bytes(data)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
              help="On-disk Oxigraph store directory (default: in memory).")
@click.option("--release", "release_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="Release to serve (built first if missing).")
def serve(host: str, port: int, store_path: Path | None, release_dir: Path) -> None:
    """Serve the release: SPARQL endpoint, Linked Data pages, dumps, query page."""
    from .web.serve import run

    run(host=host, port=port, store_path=store_path, release_dir=release_dir)


if __name__ == "__main__":
    main()
