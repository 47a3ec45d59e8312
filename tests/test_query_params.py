"""Declared parameters of named queries: header syntax and typed values."""

from __future__ import annotations

import pytest

from bclm_kg.errors import BclmError
from bclm_kg.queries.params import ParameterError, bind, declared

TEXT = """# Title
# @param min_os5 decimal 50 -- lowest 5-year OS
# @param year year - -- a year
SELECT ?x ?min_os5 ?year WHERE { }
"""


def test_declared_and_bound():
    params = declared(TEXT)
    assert [(p.name, p.type, p.default) for p in params] == [
        ("min_os5", "decimal", "50"), ("year", "year", None)]
    bound = dict(bind(params, {"year": "2018"}))
    assert bound["min_os5"] == ("literal", "50", "http://www.w3.org/2001/XMLSchema#decimal")
    assert bound["year"][1] == "2018"


@pytest.mark.parametrize(("given", "parameter"), [
    ({"year": "18"}, "year"), ({"year": "2018", "min_os5": "high"}, "min_os5"),
    ({}, "year"), ({"year": "2018", "other": "1"}, "other")])
def test_wrong_values(given, parameter):
    with pytest.raises(ParameterError) as err:
        bind(declared(TEXT), given)
    assert err.value.parameter == parameter


def test_bad_declaration_names_the_line():
    with pytest.raises(BclmError, match="q.rq:2"):
        declared("# T\n# @param x float 1\nSELECT * {}", "q.rq")
