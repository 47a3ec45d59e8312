"""A throw-away Virtuoso Open Source server on loopback ports, loaded with a release's named
graphs (one N-Triples file per graph through the bulk loader), for the backend tests."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox

SYSTEM_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
SERVER = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")


def available() -> bool:
    return bool(SERVER and ISQL and SYSTEM_INI.is_file())


def _ini(text: str, folder: Path, sql_port: int, http_port: int) -> str:
    """The packaged configuration with every file in ``folder`` and loopback ports."""
    for key, name in (("DatabaseFile", "virtuoso.db"), ("ErrorLogFile", "virtuoso.log"),
                      ("LockFile", "virtuoso.lck"), ("TransactionFile", "virtuoso.trx"),
                      ("xa_persistent_file", "virtuoso.pxa")):
        text = re.sub(rf"(?m)^{key}(\s*)=.*$", f"{key}\\1= {folder / name}", text, count=1)
    temp = text.index("[TempDatabase]")
    head, tail = text[:temp], text[temp:]
    tail = re.sub(r"(?m)^DatabaseFile(\s*)=.*$", f"DatabaseFile\\1= {folder / 'temp.db'}", tail,
                  count=1)
    tail = re.sub(r"(?m)^TransactionFile(\s*)=.*$", f"TransactionFile\\1= {folder / 'temp.trx'}",
                  tail, count=1)
    text = head + tail
    text = re.sub(r"(?m)^ServerPort(\s*)=\s*1111$", f"ServerPort\\1= 127.0.0.1:{sql_port}", text)
    text = re.sub(r"(?m)^ServerPort(\s*)=\s*8890$", f"ServerPort\\1= 127.0.0.1:{http_port}",
                  text)
    return re.sub(r"(?m)^DirsAllowed(\s*)=\s*(.*)$", f"DirsAllowed\\1= \\2, {folder}", text)


class Virtuoso:
    def __init__(self, folder: Path, sql_port: int, http_port: int) -> None:
        self.folder, self.sql_port = folder, sql_port
        self.url = f"http://127.0.0.1:{http_port}/sparql"
        (folder / "virtuoso.ini").write_text(
            _ini(SYSTEM_INI.read_text(encoding="utf-8"), folder, sql_port, http_port),
            encoding="utf-8")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        assert SERVER is not None
        self.process = subprocess.Popen(
            [SERVER, "+configfile", str(self.folder / "virtuoso.ini"), "+foreground"],
            cwd=self.folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert self.process.stdout is not None
        for line in self.process.stdout:  # blocks until the server is ready
            if "Server online" in line:
                return
        raise RuntimeError(f"virtuoso-t exited with {self.process.wait()}")

    def load(self, trig: Path) -> None:
        """Each named graph of ``trig`` into the store under its own IRI."""
        graphs: dict[str, list[str]] = {}
        for quad in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG):
            graphs.setdefault(quad.graph_name.value, []).append(f"{quad.triple} .\n")
        commands = []
        for n, (graph, lines) in enumerate(sorted(graphs.items())):
            name = f"graph-{n}.nt"
            (self.folder / name).write_text("".join(lines), encoding="utf-8")
            commands.append(f"ld_dir('{self.folder}', '{name}', '{graph}');")
        commands.append("rdf_loader_run(); checkpoint;")
        assert ISQL is not None
        subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba",
                        "exec=" + " ".join(commands)], check=True, capture_output=True,
                       timeout=300)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=60)
            self.process = None
