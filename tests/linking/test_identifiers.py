"""Identifiers in every supported spelling normalise to one CURIE and the graph's own IRI."""

from __future__ import annotations

import pytest

from bclm_kg.linking.identifiers import UnknownIdentifier, parse_identifier
from bclm_kg.linking.prefixes import build_converter

NCIT = "http://purl.obolibrary.org/obo/NCIT_C15666"


@pytest.fixture(scope="module")
def converter():
    return build_converter()


@pytest.mark.parametrize("text, curie, iri", [
    ("NCIT:C15666", "ncit:C15666", NCIT),
    ("ncit:C15666", "ncit:C15666", NCIT),
    ("NCIt:C15666", "ncit:C15666", NCIT),
    ("http://purl.obolibrary.org/obo/NCIT_C15666", "ncit:C15666", NCIT),
    ("https://purl.obolibrary.org/obo/NCIT_C15666", "ncit:C15666", NCIT),
    ("https://identifiers.org/ncit:C15666", "ncit:C15666", NCIT),
    ("https://identifiers.org/NCIT:C15666", "ncit:C15666", NCIT),
    ("http://identifiers.org/ncit/C15666", "ncit:C15666", NCIT),
    ("MESH:D006498", "mesh:D006498", "http://id.nlm.nih.gov/mesh/D006498"),
    ("https://meshb.nlm.nih.gov/record/ui?ui=D006498", "mesh:D006498",
     "http://id.nlm.nih.gov/mesh/D006498"),
    ("wikidata:Q183", "wikidata:Q183", "http://www.wikidata.org/entity/Q183"),
    ("https://www.wikidata.org/wiki/Q183", "wikidata:Q183", "http://www.wikidata.org/entity/Q183"),
    ("MONDO:0007254", "mondo:0007254", "http://purl.obolibrary.org/obo/MONDO_0007254"),
    ("CVCL_0125", "cellosaurus:0125", "https://www.cellosaurus.org/CVCL_0125"),
    ("RRID:CVCL_0125", "cellosaurus:0125", "https://www.cellosaurus.org/CVCL_0125"),
    ("NCT04079049", "clinicaltrials:NCT04079049",
     "https://clinicaltrials.gov/study/NCT04079049"),
    ("https://clinicaltrials.gov/ct2/show/NCT04079049", "clinicaltrials:NCT04079049",
     "https://clinicaltrials.gov/study/NCT04079049"),
    ("ChiCTR2100041979", "chictr:ChiCTR2100041979", None),
    ("doi:10.3322/caac.21763", "doi:10.3322/caac.21763", "https://doi.org/10.3322/caac.21763"),
    ("10.3322/caac.21763", "doi:10.3322/caac.21763", "https://doi.org/10.3322/caac.21763"),
    ("http://dx.doi.org/10.3322/caac.21763", "doi:10.3322/caac.21763",
     "https://doi.org/10.3322/caac.21763"),
    ("PMID:12345", "pubmed:12345", "https://pubmed.ncbi.nlm.nih.gov/12345"),
])
def test_spellings(converter, text: str, curie: str, iri: str | None) -> None:
    ident = parse_identifier(text, converter)
    assert ident.curie == curie
    if iri is not None:
        assert ident.iri == iri


@pytest.mark.parametrize("text, reason", [
    ("FOO:123", "unknown prefix"),
    ("NCIT:XYZ", "is not a valid ncit identifier"),
    ("hepatectomy", "not a CURIE"),
    ("http://example.org/term/1", "IRI of an unknown namespace"),
    ("", "no identifier given"),
])
def test_unknown_or_malformed(converter, text: str, reason: str) -> None:
    with pytest.raises(UnknownIdentifier) as caught:
        parse_identifier(text, converter)
    assert reason in caught.value.reason
    assert {"ncit", "mesh", "wikidata", "doi", "clinicaltrials", "chictr"} <= set(
        caught.value.known)
