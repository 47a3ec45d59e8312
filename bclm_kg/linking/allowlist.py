"""The federation allowlist: the only SPARQL endpoints this service (``SERVICE``) and
``bclm-kg enrich`` may call, each with its own timeout and row cap.

The setting is JSON, as a mapping or as the text or path of a file::

    {"mesh-mirror": {"url": "https://example.org/sparql", "timeout": 5, "max_rows": 1000}}

A loopback, private, link-local or otherwise non-public address is refused unless it is listed
explicitly: the entry's host is that IP address, or the entry says ``"allow_private": true``.
"""

from __future__ import annotations

import ipaddress
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ENV = "BCLM_FEDERATION"
DEFAULT_PORTS = {"http": 80, "https": 443}


class FederationRefused(ValueError):
    """A federated call the policy does not allow (the client's request is at fault)."""


class FederationFailed(RuntimeError):
    """An allowed endpoint could not answer (timeout, error status, bad or oversized reply)."""


def normalise_url(url: str) -> str:
    """Scheme and host in lower case, default port dropped, no query or fragment."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise FederationRefused(f"not an http(s) URL: {url!r}")
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", "", ""))


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


@dataclass(frozen=True)
class Endpoint:
    name: str
    url: str  # normalised
    timeout: float = 10.0  # seconds for the whole call
    max_rows: int = 1000
    max_bytes: int = 8 * 1024 * 1024
    allow_private: bool = False

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def port(self) -> int:
        parts = urlsplit(self.url)
        return parts.port or DEFAULT_PORTS[parts.scheme]

    def permits(self, address: str) -> bool:
        """Whether a connection to ``address`` (the peer IP) is allowed for this endpoint."""
        ip = _ip(address)
        if ip is None:
            return False
        if ip.is_global and not ip.is_multicast:
            return True
        return self.allow_private or _ip(self.host) == ip


@dataclass(frozen=True)
class Allowlist:
    endpoints: tuple[Endpoint, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.endpoints)

    @property
    def names(self) -> list[str]:
        return [e.name for e in self.endpoints]

    def find(self, url: str) -> Endpoint | None:
        """The listed endpoint with exactly this URL (after normalisation), or None."""
        try:
            wanted = normalise_url(url)
        except FederationRefused:
            return None
        return next((e for e in self.endpoints if e.url == wanted), None)

    def named(self, name: str) -> Endpoint:
        found = next((e for e in self.endpoints if e.name == name), None)
        if found is None:
            listed = ", ".join(self.names) or "none"
            raise FederationRefused(f"no allowlisted endpoint named {name!r} (listed: {listed})")
        return found

    def at(self, host: str, port: int) -> list[Endpoint]:
        return [e for e in self.endpoints if (e.host, e.port) == (host.lower(), port)]

    @classmethod
    def from_setting(cls, value: Allowlist | Mapping | str | Path | None) -> Allowlist:
        """From a mapping, JSON text or a JSON file path; None or empty → nothing allowed."""
        if isinstance(value, Allowlist):
            return value
        if value is None or value == "":
            return cls()
        if isinstance(value, Path) or (isinstance(value, str)
                                       and not value.lstrip().startswith("{")):
            path = Path(value)
            try:
                value = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise ValueError(f"{path}: cannot read the federation allowlist: {exc}") from exc
        elif isinstance(value, str):
            value = json.loads(value)
        endpoints = []
        for name, entry in dict(value).items():
            if not isinstance(entry, Mapping) or "url" not in entry:
                raise ValueError(f"federation allowlist entry {name!r}: needs a \"url\"")
            unknown = set(entry) - {"url", "timeout", "max_rows", "max_bytes", "allow_private"}
            if unknown:
                raise ValueError(f"federation allowlist entry {name!r}: unknown keys "
                                 f"{', '.join(sorted(unknown))}")
            endpoints.append(Endpoint(
                name, normalise_url(entry["url"]), float(entry.get("timeout", 10.0)),
                int(entry.get("max_rows", 1000)), int(entry.get("max_bytes", 8 * 1024 * 1024)),
                bool(entry.get("allow_private", False))))
        return cls(tuple(endpoints))

    @classmethod
    def from_env(cls) -> Allowlist:
        return cls.from_setting(os.environ.get(ENV))
