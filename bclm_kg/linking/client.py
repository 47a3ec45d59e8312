"""A guarded SPARQL client: SPARQLWrapper over an opener that only speaks http(s), ignores
proxy settings, checks the address it actually connected to, and follows a redirect only to
another allowlisted endpoint; each call has its own deadline, row cap and size cap."""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from functools import partial

from SPARQLWrapper import GET, JSON, SPARQLWrapper

from .allowlist import Allowlist, Endpoint, FederationFailed, FederationRefused

AGENT = "bclm-kg federation (+https://w3id.org/bclm-kg/)"
MAX_REDIRECTS = 3


def _check_peer(conn: http.client.HTTPConnection, allowlist: Allowlist) -> None:
    peer = conn.sock.getpeername()[0]
    endpoints = allowlist.at(conn.host, conn.port)
    if not any(e.permits(peer) for e in endpoints):
        conn.close()
        raise FederationRefused(
            f"{conn.host}:{conn.port} resolved to {peer}, a non-public address that is not "
            "listed explicitly (list the IP address itself, or set allow_private)")


class _Guarded:
    """A connection that checks the address it reached against the allowlist."""

    def __init__(self, *args, allowlist: Allowlist, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.allowlist = allowlist

    def connect(self) -> None:
        super().connect()
        _check_peer(self, self.allowlist)


class _GuardedHTTPConnection(_Guarded, http.client.HTTPConnection):
    pass


class _GuardedHTTPSConnection(_Guarded, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, allowlist: Allowlist) -> None:
        super().__init__()
        self.allowlist = allowlist

    def http_open(self, req):
        return self.do_open(partial(_GuardedHTTPConnection, allowlist=self.allowlist), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, allowlist: Allowlist) -> None:
        super().__init__()
        self.allowlist = allowlist

    def https_open(self, req):
        return self.do_open(partial(_GuardedHTTPSConnection, allowlist=self.allowlist), req,
                            context=self._context)


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def __init__(self, allowlist: Allowlist) -> None:
        super().__init__()
        self.allowlist = allowlist

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if self.allowlist.find(newurl) is None:
            raise FederationRefused(
                f"{req.full_url.split('?')[0]} redirected to {newurl.split('?')[0]}, which is "
                "not an allowlisted endpoint")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def opener(allowlist: Allowlist) -> urllib.request.OpenerDirector:
    """An opener for http(s) only, without proxies, guarded by ``allowlist``."""
    director = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler({}), urllib.request.UnknownHandler(),
                    urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPErrorProcessor(), _HTTPHandler(allowlist),
                    _HTTPSHandler(allowlist), _RedirectHandler(allowlist)):
        director.add_handler(handler)
    return director


class GuardedSPARQLWrapper(SPARQLWrapper):
    """SPARQLWrapper that sends its request through a guarded opener."""

    def __init__(self, endpoint: Endpoint, director: urllib.request.OpenerDirector) -> None:
        super().__init__(endpoint.url, agent=AGENT)
        self.director = director
        self.setMethod(GET)
        self.setReturnFormat(JSON)
        self.timeout = endpoint.timeout  # type: ignore[assignment]  # float seconds

    def _query(self):
        request = self._createRequest()
        try:
            return self.director.open(request, timeout=self.timeout), self.returnFormat
        except urllib.error.HTTPError as exc:
            raise FederationFailed(f"{self.endpoint} answered HTTP {exc.code}") from exc


def _read(response, endpoint: Endpoint, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(65536):
        size += len(chunk)
        if size > endpoint.max_bytes:
            raise FederationFailed(f"{endpoint.name}: reply larger than {endpoint.max_bytes} bytes")
        if time.monotonic() > deadline:
            raise FederationFailed(f"{endpoint.name}: no complete reply within "
                                   f"{endpoint.timeout:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def select(endpoint: Endpoint, allowlist: Allowlist, query: str) -> tuple[list[str], list[dict],
                                                                          bool]:
    """Run a SELECT on an allowlisted endpoint: variables, bindings (SPARQL JSON) and whether
    the row cap cut them."""
    if allowlist.find(endpoint.url) is None:
        raise FederationRefused(f"{endpoint.url} is not an allowlisted endpoint")
    deadline = time.monotonic() + endpoint.timeout
    wrapper = GuardedSPARQLWrapper(endpoint, opener(allowlist))
    wrapper.setQuery(query)
    try:
        response = wrapper.query().response
        body = _read(response, endpoint, deadline)
    except (FederationRefused, FederationFailed):
        raise
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, FederationRefused):
            raise reason from exc
        raise FederationFailed(f"{endpoint.name} ({endpoint.url}): {reason}") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise FederationFailed(f"{endpoint.name} ({endpoint.url}): {exc}") from exc
    except Exception as exc:  # SPARQLWrapper's own errors (bad query, …)
        raise FederationFailed(f"{endpoint.name} ({endpoint.url}): {exc}") from exc
    try:
        data = json.loads(body)
        variables = list(data["head"].get("vars", []))
        bindings = list(data["results"]["bindings"])
    except (ValueError, KeyError, TypeError) as exc:
        raise FederationFailed(f"{endpoint.name}: not SPARQL JSON results: {exc}") from exc
    return variables, bindings[:endpoint.max_rows], len(bindings) > endpoint.max_rows
