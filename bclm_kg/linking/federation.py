"""Federated queries, safely: each ``SERVICE <endpoint> { … }`` of a query is run here, on an
allowlisted endpoint through the guarded client, and replaced by its answer as inline
``VALUES``; the query that reaches the store has no SERVICE left, so the store never makes a
request of its own. Without an allowlist every SERVICE is refused.

The engine cannot be told which addresses its own SERVICE may reach, so this module finds the
clauses itself: strings, IRIs and comments are masked first (same length), so keywords and
braces inside them do not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from .allowlist import Allowlist, Endpoint, FederationFailed, FederationRefused
from .client import select

# Strings, IRIs (with their \\u escapes, which the engine decodes) and comments: what can hide a
# keyword or a brace. Shared with the web layer's update and SERVICE checks.
OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"
    r"|#[^\n\r]*",
    re.DOTALL,
)
_SERVICE = re.compile(r"(?<![\w:?$-])SERVICE(?![\w:-])", re.IGNORECASE)
_SILENT = re.compile(r"\s*SILENT(?![\w:-])", re.IGNORECASE)
_PREFIX = re.compile(r"(?<![\w:?$-])PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_PROLOGUE = re.compile(r"(?<![\w:?$-])(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)",
                       re.IGNORECASE)
_PNAME = re.compile(r"([A-Za-z][\w.-]*)?:([\w.%-]*)")
_VAR = re.compile(r"[?$]\w+")


def mask(text: str) -> str:
    """The text with every string, IRI and comment replaced by spaces of the same length
    (an IRI keeps its angle brackets, so it can still be found)."""
    def blank(match: re.Match) -> str:
        token = match.group(0)
        if token.startswith("<"):
            return "<" + " " * (len(token) - 2) + ">"
        return re.sub(r"[^\n]", " ", token)
    return OPAQUE.sub(blank, text)


@dataclass
class ServiceClause:
    start: int  # offset of the SERVICE keyword
    end: int  # offset just after the closing brace
    target: str  # the endpoint IRI
    silent: bool
    pattern: str  # the text between the braces


@dataclass
class FederatedCall:
    endpoint: str
    rows: int
    truncated: bool
    error: str | None = None


@dataclass
class Resolved:
    query: str
    calls: list[FederatedCall] = field(default_factory=list)


def _prefixes(text: str, masked: str) -> dict[str, str]:
    found = {}
    for match in _PREFIX.finditer(masked):
        iri_start = masked.index("<", match.start())
        iri_end = masked.index(">", iri_start)
        found[match.group(1) or ""] = text[iri_start + 1:iri_end]
    return found


def find_services(text: str) -> list[ServiceClause]:
    """Every SERVICE clause of a query, in order. Raises :class:`FederationRefused` for a
    SERVICE whose endpoint is a variable, or one nested in another."""
    masked = mask(text)
    prefixes = _prefixes(text, masked)
    clauses: list[ServiceClause] = []
    for match in _SERVICE.finditer(masked):
        if clauses and match.start() < clauses[-1].end:
            raise FederationRefused("a SERVICE inside another SERVICE is not supported")
        pos = match.end()
        silent = _SILENT.match(masked, pos)
        if silent:
            pos = silent.end()
        while pos < len(masked) and masked[pos].isspace():
            pos += 1
        if masked.startswith("<", pos):
            close = masked.find(">", pos)
            if close < 0:
                raise FederationRefused(f"SERVICE at offset {match.start()}: the endpoint IRI "
                                        "is not closed with '>'")
            target, pos = text[pos + 1:close], close + 1
        elif _VAR.match(masked, pos):
            raise FederationRefused("SERVICE with a variable endpoint is not allowed; "
                                    "name an allowlisted endpoint IRI")
        else:
            pname = _PNAME.match(masked, pos)
            if not pname or (pname.group(1) or "") not in prefixes:
                raise FederationRefused(f"SERVICE at offset {match.start()}: no endpoint IRI")
            target, pos = prefixes[pname.group(1) or ""] + pname.group(2), pname.end()
        while pos < len(masked) and masked[pos].isspace():
            pos += 1
        if not masked.startswith("{", pos):
            raise FederationRefused(f"SERVICE <{target}>: expected '{{'")
        depth, close = 0, pos
        for close in range(pos, len(masked)):
            depth += {"{": 1, "}": -1}.get(masked[close], 0)
            if depth == 0:
                break
        if depth != 0:
            raise FederationRefused(f"SERVICE <{target}>: unbalanced braces")
        clauses.append(ServiceClause(match.start(), close + 1, target, bool(silent),
                                     text[pos + 1:close]))
    return clauses


def _term(binding: dict | None) -> str:
    """A SPARQL JSON binding as query text (blank nodes and unbound become UNDEF)."""
    if not binding or binding.get("type") == "bnode":
        return "UNDEF"
    value = binding.get("value", "")
    if binding["type"] == "uri":
        return str(ox.NamedNode(value))
    if "xml:lang" in binding:
        return str(ox.Literal(value, language=binding["xml:lang"]))
    if "datatype" in binding:
        return str(ox.Literal(value, datatype=ox.NamedNode(binding["datatype"])))
    return str(ox.Literal(value))


def values_block(variables: list[str], bindings: list[dict]) -> str:
    """``{ VALUES (?a ?b) { (… …) … } }`` holding a federated answer."""
    head = " ".join(f"?{v}" for v in variables)
    rows = " ".join("(" + " ".join(_term(b.get(v)) for v in variables) + ")" for b in bindings)
    return f"{{ VALUES ({head}) {{ {rows} }} }}"


def remote_query(text: str, clause: ServiceClause, endpoint: Endpoint) -> str:
    """The query sent to the endpoint: the prologue, the clause's pattern, a row cap."""
    prologue = "\n".join(text[m.start():m.end()] for m in _PROLOGUE.finditer(mask(text))
                         if m.start() < clause.start)
    return f"{prologue}\nSELECT * WHERE {{{clause.pattern}}}\nLIMIT {endpoint.max_rows + 1}"


def resolve(text: str, allowlist: Allowlist) -> Resolved:
    """The query with every SERVICE clause answered by its allowlisted endpoint.

    Raises :class:`FederationRefused` for a SERVICE to an endpoint that is not listed (or when
    nothing is), and :class:`FederationFailed` when a listed endpoint fails and the clause is
    not SILENT.
    """
    if "service" not in text.lower():  # the common case, without scanning the query
        return Resolved(text)
    clauses = find_services(text)
    if not clauses:
        return Resolved(text)
    if not allowlist:
        raise FederationRefused("SERVICE (federated query) is refused: this endpoint makes no "
                                "outbound requests unless endpoints are allowlisted")
    endpoints = []
    for clause in clauses:
        endpoint = allowlist.find(clause.target)
        if endpoint is None:
            raise FederationRefused(f"SERVICE <{clause.target}> is refused: not an allowlisted "
                                    f"endpoint (allowlisted: {', '.join(allowlist.names)})")
        endpoints.append(endpoint)
    calls: list[FederatedCall] = []
    replacements: list[str] = []
    for clause, endpoint in zip(clauses, endpoints, strict=True):
        try:
            variables, bindings, truncated = select(endpoint, allowlist,
                                                    remote_query(text, clause, endpoint))
        except FederationFailed as exc:
            if not clause.silent:
                raise
            calls.append(FederatedCall(endpoint.name, 0, False, str(exc)))
            replacements.append("{}")
            continue
        calls.append(FederatedCall(endpoint.name, len(bindings), truncated))
        replacements.append(values_block(variables, bindings))
    out = text
    for clause, replacement in reversed(list(zip(clauses, replacements, strict=True))):
        out = out[:clause.start] + replacement + out[clause.end:]
    if _SERVICE.search(mask(out)):
        raise FederationRefused("the federated answer could not be inlined safely")
    return Resolved(out, calls)
