"""A server on 127.0.0.1 that records every request it gets and answers each with one fixed
document, so a test can tell whether anything was fetched (and a fetch would succeed)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Recorder(ThreadingHTTPServer):
    def __init__(self, body: bytes, content_type: str) -> None:
        self.requests: list[str] = []
        self.body, self.content_type = body, content_type
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        self.server.requests.append(f"{self.command} {self.path}")
        self.send_response(200)
        self.send_header("Content-Type", self.server.content_type)
        self.send_header("Content-Length", str(len(self.server.body)))
        self.end_headers()
        self.wfile.write(self.server.body)

    do_GET = do_POST = _answer  # noqa: N815 - the http.server names

    def log_message(self, *args) -> None:
        pass


@contextmanager
def recording(body: bytes, content_type: str) -> Iterator[Recorder]:
    server = Recorder(body, content_type)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
