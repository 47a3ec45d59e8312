"""Parameters of named queries, declared in the query's header and bound as values.

A header line ``# @param NAME TYPE [DEFAULT] -- DESCRIPTION`` declares one (``DEFAULT`` ``-``
for none: the parameter is then required). Types: ``integer``, ``decimal``, ``string``, ``iri``,
``year``. A given value is checked against its type and bound to ``?NAME`` through the store's
substitution mechanism — never pasted into the query text. pyoxigraph binds only variables the
query projects, so a parameter must be one of the SELECT's variables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..errors import BclmError

XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = ("integer", "decimal", "string", "iri", "year")
HEADER = re.compile(r"^#\s*@param\s+(\w+)\s+(\w+)(?:\s+(\S+))?(?:\s+--\s+(.*))?$")


class ParameterError(BclmError):
    """A parameter value of the wrong type, an unknown or a missing parameter (HTTP 400)."""

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        super().__init__(f"parameter {parameter!r}: {message}")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None
    description: str

    def as_dict(self) -> dict:
        return {"name": self.name, "type": self.type, "default": self.default,
                "description": self.description}


# (kind, lexical value, datatype IRI or None): a picklable term for the query workers
Bound = tuple[str, str, str | None]


def declared(text: str, source: str = "query") -> tuple[Parameter, ...]:
    """The parameters a query's header declares."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        if "@param" not in line:
            continue
        m = HEADER.match(line.strip())
        if not m or m.group(2) not in TYPES:
            raise BclmError(f"{source}:{number}: a parameter is declared as "
                            f"'# @param NAME TYPE [DEFAULT] -- DESCRIPTION' with TYPE one of "
                            f"{', '.join(TYPES)}; got {line.strip()!r}")
        default = None if m.group(3) in (None, "-") else m.group(3)
        param = Parameter(m.group(1), m.group(2), default, (m.group(4) or "").strip())
        if default is not None:
            convert(param, default)  # a wrong default is the query file's error
        out.append(param)
    return tuple(out)


def convert(param: Parameter, raw: str) -> Bound:
    """``raw`` as a term of the parameter's type, or :class:`ParameterError`."""
    raw = raw.strip()
    if param.type in ("integer", "year"):
        if not re.fullmatch(r"[+-]?\d+", raw) or (param.type == "year" and len(raw) != 4):
            raise ParameterError(param.name, f"{raw!r} is not {_a(param.type)}")
        return ("literal", str(int(raw)), XSD + "integer")
    if param.type == "decimal":
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ParameterError(param.name, f"{raw!r} is not a decimal number") from None
        if not number.is_finite():
            raise ParameterError(param.name, f"{raw!r} is not a finite number")
        return ("literal", str(number), XSD + "decimal")
    if param.type == "iri":
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", raw):
            raise ParameterError(param.name, f"{raw!r} is not an absolute http(s) IRI")
        return ("iri", raw, None)
    return ("literal", raw, None)


def _a(kind: str) -> str:
    return {"integer": "an integer", "year": "a four-digit year"}[kind]


def bind(params: tuple[Parameter, ...], given: Mapping[str, str],
         ignore: tuple[str, ...] = ()) -> tuple[tuple[str, Bound], ...]:
    """Values for every declared parameter (given, else its default)."""
    names = {p.name for p in params}
    for name in given:
        if name not in names and name not in ignore:
            accepted = ", ".join(sorted(names)) or "none"
            raise ParameterError(name, f"this query has no such parameter (accepted: {accepted})")
    out = []
    for param in params:
        raw = given.get(param.name)
        if raw is None or raw == "":
            if param.default is None:
                raise ParameterError(param.name, f"required ({param.type})")
            raw = param.default
        out.append((param.name, convert(param, raw)))
    return tuple(out)


def term(bound: Bound):
    """A bound value as a pyoxigraph term."""
    import pyoxigraph as ox

    kind, value, datatype = bound
    if kind == "iri":
        return ox.NamedNode(value)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)
