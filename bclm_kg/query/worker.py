"""A query worker process: ``python -m bclm_kg.query.worker FD``.

It reads a :class:`~bclm_kg.query.store.StoreSpec` from the socket ``FD``, opens its own store,
answers ``ready``, then runs :class:`~bclm_kg.query.execute.Job` after job until the socket
closes. The pool kills it when a query runs past its time limit.
"""

from __future__ import annotations

import signal
import sys
from multiprocessing.connection import Connection

from .execute import execute

READY = "ready"


def main(fd: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which closes us
    conn = Connection(fd)
    try:
        spec = conn.recv()
        store = spec.open()
        conn.send(READY)
        while True:
            job = conn.recv()
            conn.send(execute(store, job))
    except (EOFError, OSError):
        return


if __name__ == "__main__":
    main(int(sys.argv[1]))
