"""The client side of ``bclm-kg submit --url``: a submission posted to a running service."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .errors import BclmError

TOKEN_ENV = "BCLM_TOKEN"
TIMEOUT = 900.0  # seconds: the service answers after its build and commit


class ClientError(BclmError):
    """The submission could not be sent, or no token was given."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: str

    @property
    def ok(self) -> bool:
        return self.status < 300


def read_token(token_file: Path | None) -> str:
    """The bearer token: the first line of ``token_file``, else ``$BCLM_TOKEN``."""
    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip().splitlines()
        except OSError as exc:
            raise ClientError(f"{token_file}: cannot read the token file: "
                              f"{exc.strerror or exc}") from exc
        if not token or not token[0].strip():
            raise ClientError(f"{token_file}: the token file is empty")
        return token[0].strip()
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise ClientError(f"no token: set {TOKEN_ENV} or give --token-file")
    return token


def read_body(path: Path) -> dict:
    """The submission's JSON object from ``path`` (ClientError naming the line when not)."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ClientError(f"{path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise ClientError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from exc
    if not isinstance(body, dict):
        raise ClientError(f"{path}: a submission is a JSON object, not {type(body).__name__}")
    return body


def submit(url: str, body: dict, token: str, timeout: float = TIMEOUT) -> Answer:
    """POST ``body`` to ``URL/api/submissions`` with the bearer token; the service's answer
    (any HTTP status), or ClientError when the service cannot be reached."""
    if not url.startswith(("http://", "https://")):
        raise ClientError(f"--url {url!r}: expected the service's http(s) address")
    request = urllib.request.Request(
        url.rstrip("/") + "/api/submissions", method="POST",
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json", "Accept": "application/json",
                 "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return Answer(response.status, response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, exc.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ClientError(f"{url}: cannot reach the service: {reason}") from exc
