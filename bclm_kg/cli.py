"""The ``bclm-kg`` command line: build, validate, report, export, serve, lookup,
enrich, submit, backup, restore.

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
@click.argument("file", required=False, type=click.Path(path_type=Path, exists=True,
                                                         dir_okay=False))
@click.option("--release", "release_dir", type=PATH, default=None,
              help="Release to report on when no FILE is given [default: $BCLM_RELEASE_DIR, "
                   "./build, or the release shipped with the package].")
@click.option("--level", type=click.Choice(["ERROR", "WARN", "INFO"]), default="INFO",
              show_default=True, help="Lowest severity to list.")
def report(file: Path | None, release_dir: Path | None, level: str) -> None:
    """Quality report on the release (or on FILE): labels, definitions and their sources,
    domains and ranges, external IRIs, classes matched to individuals. Exit 1 on errors."""
    from .quality import SEVERITIES, check_file

    target = file or Project.resolve(release=release_dir).release.dataset
    if not target.is_file():
        _fail(f"{target} does not exist (run `bclm-kg build` first)")
    result = check_file(target)
    click.echo(result.text(SEVERITIES[: SEVERITIES.index(level) + 1]), nl=False)
    sys.exit(EXIT_ERROR if result.errors else 0)


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
              help="Curated data to build the release from when there is none (and, with "
                   "--tokens, to commit submissions to).")
@click.option("--tokens", "tokens_file", type=click.Path(path_type=Path, dir_okay=False),
              default=None,
              help="Token file (TOML: [tokens.NAME] role and sha256): the service takes "
                   "submissions. Without it the service is read-only.")
def serve(host: str, port: int, store_path: str | None, release_dir: Path | None,
          data_dir: Path | None, tokens_file: Path | None) -> None:
    """Serve the release: SPARQL endpoint, Linked Data pages, dumps, query page; with
    --tokens, also submissions, approvals, the history of changes and reverts."""
    from .web.serve import run

    run(Project.resolve(data=data_dir, release=release_dir, store=store_path), host=host,
        port=port, tokens=tokens_file)


@main.command()
@click.argument("identifier")
@click.option("--release", "release_dir", type=PATH, default=None,
              help="Release to look in, built first if missing [default: $BCLM_RELEASE_DIR, "
                   "./build, or the release shipped with the package].")
def lookup(identifier: str, release_dir: Path | None) -> None:
    """What this graph says about IDENTIFIER (a CURIE such as NCIT:C15666 or ncit:C15666, an
    NCT or ChiCTR number, a DOI, or a full IRI), as JSON. Exit status 2 for an unknown prefix
    or a malformed identifier."""
    import json

    from .build import prepare_release
    from .linking.identifiers import UnknownIdentifier
    from .linking.lookup import lookup as run_lookup
    from .linking.prefixes import load_converter
    from .query.store import StoreSpec
    from .release import Release

    release = Release(prepare_release(Project.resolve(release=release_dir)))
    store = StoreSpec(trig=release.dataset).open()
    try:
        result = run_lookup(store, load_converter(release.path), identifier)
    except UnknownIdentifier as exc:
        _fail(str(exc), status=2)
    click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))


@main.command()
@click.option("--endpoint", "endpoint_name", required=True,
              help="Name of an allowlisted SPARQL endpoint.")
@click.option("--allowlist", "allowlist_setting", default=None, envvar="BCLM_FEDERATION",
              help="Federation allowlist: JSON text or a JSON file [default: $BCLM_FEDERATION].")
@click.option("--release", "release_dir", type=PATH, default=None,
              help="Release whose mapped terms are enriched [default: as for lookup].")
@click.option("--data", "data_dir", type=DIR, default=None,
              help="Curated data directory to write external/ENDPOINT.ttl into [default: "
                   "$BCLM_DATA_DIR or ./data in a checkout].")
def enrich(endpoint_name: str, allowlist_setting: str | None, release_dir: Path | None,
           data_dir: Path | None) -> None:
    """Fetch labels, definitions and parents of the mapped external terms from an allowlisted
    endpoint into DATA/external/ENDPOINT.ttl (graph/external at the next build)."""
    from .build import prepare_release
    from .linking.allowlist import Allowlist, FederationFailed, FederationRefused
    from .linking.enrich import enrich as run_enrich
    from .query.store import StoreSpec
    from .release import Release

    try:
        allowlist = Allowlist.from_setting(allowlist_setting)
    except ValueError as exc:
        _fail(str(exc))
    project = Project.resolve(data=data_dir, release=release_dir)
    if project.bundled_data:
        _fail("the data shipped inside the package is not written to; give --data DIR")
    store = StoreSpec(trig=Release(prepare_release(project)).dataset).open()
    try:
        result = run_enrich(store, endpoint_name, allowlist, project.data_dir)
    except (FederationRefused, FederationFailed) as exc:
        _fail(str(exc))
    click.echo(f"{result.path}: {result.terms} terms asked; {result.labels} labels, "
               f"{result.definitions} definitions, {result.parents} parents fetched")



def _counted(count: int, kind: str) -> str:
    """``1 study``, ``2 studies``: the result kinds are plural nouns."""
    singular = {"studies": "study", "trials": "trial", "arms": "arm"}
    return f"{count} {singular.get(kind, kind) if count == 1 else kind}"


@main.command()
@click.argument("question")
@click.option("--release", "release_dir", type=PATH, default=None,
              help="Release to search [default: $BCLM_RELEASE_DIR, ./build, or the release "
                   "shipped with the package].")
@click.option("--json", "as_json", is_flag=True, help="The whole answer as JSON.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 500))
def ask(question: str, release_dir: Path | None, as_json: bool, limit: int) -> None:
    """Ask QUESTION in English, Chinese or both, e.g. "欧洲 前瞻性 肝切除 试验"."""
    import json

    from .build import prepare_release
    from .query.store import StoreSpec
    from .release import Release
    from .search import Paging, Search
    from .search.ask import ask as answer

    release = Release(prepare_release(Project.resolve(release=release_dir)))
    search = Search(StoreSpec(trig=release.dataset).open())
    result = answer(search, question, Paging(limit=limit))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    for u in result["understood"]:
        click.echo(f"understood  {u['facet']} = {u['value']}   ← “{u['words']}”")
    if result["ignored"]:
        click.echo(f"ignored     {' '.join(result['ignored'])}")
    answer_ = result.get("answer") or {}
    if "count" in answer_:
        click.echo(f"answer      {_counted(answer_['count'], result['kind'])}")
    for g in answer_.get("groups", []):
        click.echo(f"{g['value']:>10}  {g['arms']} arms  {answer_['measure']} min {g['min']} · "
                   f"median {g['median']} · max {g['max']} {answer_['unit']}")
    items = result.get("items") or [i for g in result.get("groups", []) for i in g["items"]]
    click.echo(f"{_counted(result['total'], result['kind'])}:")
    for item in items:
        study = item.get("study", item)
        stated = study.get("stated_in")
        where = f"Table {stated['table']} row {stated['row']}" if stated else "after the review"
        notes = " ⚠" if study.get("curation_notes") else ""
        click.echo(f"  {item['label']['en']}  ({where}){notes}")


# -- curation ---------------------------------------------------------------------------------
def _curated_project(data_dir: Path | None, release_dir: Path | None) -> Project:
    return Project.resolve(data=data_dir, release=release_dir, shipped_release=False)


@main.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--url", default=None,
              help="Post the submission to a running service (bclm-kg serve --tokens) instead "
                   "of applying it locally; the token comes from $BCLM_TOKEN or --token-file.")
@click.option("--token-file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="With --url: a file whose first line is the token [default: $BCLM_TOKEN].")
@click.option("--data", "data_dir", type=DIR, default=None,
              help="Curated data directory (a git repository; started if it is not one).")
@click.option("--release", "release_dir", type=PATH, default=None,
              help="Release root: new releases go to versions/<version>, current points to "
                   "the served one [default: $BCLM_RELEASE_DIR or ./build].")
@click.option("--as", "name", default=None,
              help="The curator's name, recorded as the commit's author [default: the user].")
def submit(file: Path, url: str | None, token_file: Path | None, data_dir: Path | None,
           release_dir: Path | None, name: str | None) -> None:
    """Apply the submission in FILE (JSON) as a curator: check it with the build, commit it,
    publish the new release. Prints the version and commit, or the report (exit status 1).
    With --url, post it to a running service instead and print its answer (exit status 0
    when committed or pending)."""
    import getpass
    import json

    from .curation import Author, Curation, InvalidSubmission

    if url is not None:
        from . import curation_client as client

        if data_dir is not None or release_dir is not None or name is not None:
            raise click.UsageError("--url posts to a service: --data, --release and --as are "
                                   "for a local submission")
        answer = client.submit(url, client.read_body(file), client.read_token(token_file))
        click.echo(answer.body.rstrip())
        if not answer.ok:
            sys.exit(EXIT_ERROR)
        return
    try:
        body = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise click.ClickException(
            f"{file}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    curation = Curation.open(_curated_project(data_dir, release_dir))
    try:
        done = curation.submit(body, Author(name or getpass.getuser(), "curator"))
    except InvalidSubmission as exc:
        click.echo(f"error: {file}: refused ({exc.submission_id})", err=True)
        click.echo(exc.report.text().rstrip(), err=True)
        sys.exit(EXIT_ERROR)
    click.echo(f"committed {done.id}: version {done.version}, commit {done.commit}")


@main.command()
@click.argument("dest", type=DIR)
@click.option("--data", "data_dir", type=DIR, default=None, help="Curated data directory.")
@click.option("--release", "release_dir", type=PATH, default=None, help="Release root.")
def backup(dest: Path, data_dir: Path | None, release_dir: Path | None) -> None:
    """Back up the data's git history (a bundle), the submissions and the current release
    into DEST (an empty or new directory)."""
    from .curation.backup import backup as write_backup

    manifest = write_backup(_curated_project(data_dir, release_dir), dest)
    click.echo(f"backed up version {manifest['version']} (commit {manifest['commit']}) to {dest}")


@main.command()
@click.argument("src", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--data", "data_dir", type=DIR, required=True,
              help="Where to restore the curated data (empty or new).")
@click.option("--release", "release_dir", type=PATH, required=True,
              help="Where to restore the release (empty or new).")
def restore(src: Path, data_dir: Path, release_dir: Path) -> None:
    """Restore the backup in SRC into an empty data directory and release root."""
    from .curation.backup import restore as read_backup

    manifest = read_backup(src, _curated_project(data_dir, release_dir))
    click.echo(f"restored version {manifest['version']} (commit {manifest['commit']})")


if __name__ == "__main__":
    main()
