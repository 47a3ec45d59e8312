"""Progress and summary output of the build, on the terminal (rich) or silent for library use."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.console import Console
from rich.table import Table


class Reporter(Protocol):
    def stage(self, name: str) -> contextmanager: ...  # type: ignore[valid-type]
    def info(self, message: str) -> None: ...
    def fail(self, message: str) -> None: ...
    def summary(self, summary: object) -> None: ...


class SilentReporter:
    """Collects stage timings without printing (used by tests and the server)."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.timings[name] = time.perf_counter() - started

    def info(self, message: str) -> None:
        pass

    def fail(self, message: str) -> None:
        pass

    def summary(self, summary: object) -> None:
        pass


class ConsoleReporter(SilentReporter):
    """One line per stage with a spinner while it runs, then a table of counts."""

    def __init__(self, console: Console | None = None) -> None:
        super().__init__()
        self.console = console or Console(stderr=True, soft_wrap=True)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        with self.console.status(f"[bold]{name}[/bold] …"):
            try:
                yield
            except Exception:
                self.console.print(f"[red]✗[/red] {name}")
                raise
        elapsed = time.perf_counter() - started
        self.timings[name] = elapsed
        self.console.print(f"[green]✓[/green] {name} [dim]({elapsed:.1f} s)[/dim]")

    def info(self, message: str) -> None:
        self.console.print(f"  {message}")

    def fail(self, message: str) -> None:
        self.console.print(f"[bold red]build failed:[/bold red] {message}", markup=True,
                           highlight=False)
        self.console.print("[dim]the previous release, if any, is unchanged[/dim]")

    def summary(self, summary: object) -> None:
        counts = getattr(summary, "counts", {})
        table = Table(title=f"release {getattr(summary, 'out_dir', '')}", show_header=True)
        table.add_column("what")
        table.add_column("count", justify="right")
        for key, value in counts.items():
            table.add_row(key, str(value))
        self.console.print(table)


@contextmanager
def console_reporter() -> Iterator[ConsoleReporter]:
    yield ConsoleReporter()
