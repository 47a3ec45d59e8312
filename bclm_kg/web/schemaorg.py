"""schema.org JSON-LD for an entity page, so that search engines and citation tools read it:
studies as ``MedicalStudy`` (trials ``MedicalTrial``), works as ``ScholarlyArticle``, drugs,
interventions as ``MedicalTherapy``, places as ``Place`` / ``Country``."""

from __future__ import annotations

from ..namespaces import BASE
from .entity import Entity, Value

BCLM = BASE + "ontology/"
SCHEMA = "https://schema.org/"
CONDITION = {"@type": "MedicalCondition", "name": "breast cancer liver metastases",
             "alternateName": "乳腺癌肝转移"}
REVIEW = BASE + "review/jiang-2024"
REVIEW_DOI = "https://doi.org/10.7659/j.issn.1005-6947.2024.05.002"

# bclm class (local name) → schema.org type; the first match in this order wins.
TYPES: tuple[tuple[str, str], ...] = (
    ("RegisteredTrial", "MedicalTrial"),
    ("Study", "MedicalStudy"),
    ("Review", "ScholarlyArticle"),
    ("CitedWork", "ScholarlyArticle"),
    ("Drug", "Drug"),
    ("Intervention", "MedicalTherapy"),
    ("Country", "Country"),
    ("Region", "Place"),
    ("Place", "Place"),
)


def _local_types(entity: Entity) -> set[str]:
    names = set()
    for value in entity.types:
        href = value.href or ""
        if href.startswith("/ontology/"):
            names.add(href[len("/ontology/"):])
    return names


def schema_type(entity: Entity) -> str | None:
    """The schema.org type of an entity, or None when none fits."""
    local = _local_types(entity)
    return next((schema for name, schema in TYPES if name in local), None)


def _values(entity: Entity, prop: str) -> list[Value]:
    return next((f.values for f in entity.facts if f.prop == prop), [])


def _absolute(value: Value) -> str | None:
    if not value.href:
        return None
    return value.href if value.external else BASE + value.href.lstrip("/")


def _ref(value: Value, kind: str) -> dict:
    node = {"@type": kind, "name": value.text}
    iri = _absolute(value)
    if iri:
        node["@id"] = iri
    return node


def json_ld(entity: Entity) -> dict | None:
    """The entity as one schema.org node (``@context`` included), or None for other kinds."""
    kind = schema_type(entity)
    if kind is None:
        return None
    node: dict = {"@context": SCHEMA, "@type": kind, "@id": entity.iri, "url": entity.iri,
                  "name": entity.labels.en or entity.title}
    if entity.labels.zh and entity.labels.zh != node["name"]:
        node["alternateName"] = entity.labels.zh
    same = [_absolute(v) for v in _values(entity, SCHEMA + "sameAs") + _values(
        entity, BCLM + "registryRecord") if _absolute(v)]
    if same:
        node["sameAs"] = same
    if kind in ("MedicalStudy", "MedicalTrial"):
        node["healthCondition"] = CONDITION
        node["studySubject"] = CONDITION
        places = _values(entity, BCLM + "leadCountry")
        if places:
            node["studyLocation"] = [_ref(v, "Country") for v in places]
        cited = [_ref(v, "ScholarlyArticle") for v in _values(entity, BCLM + "reportedIn")]
        node["citation"] = cited + [{"@type": "ScholarlyArticle", "@id": REVIEW,
                                     "sameAs": REVIEW_DOI}]
        ids = [v.text for v in _values(entity, BCLM + "registryId")]
        if ids:
            node["identifier"] = ids
        therapies = {v.text: v for p in entity.parts for f in p.facts
                     if f.prop in (BCLM + "receivesIntervention", BCLM + "involvesIntervention")
                     for v in f.values}
        if therapies:
            node["about"] = [_ref(v, "MedicalTherapy") for v in therapies.values()]
    elif kind == "ScholarlyArticle":
        titles = _values(entity, "http://purl.org/dc/terms/title")
        if titles:
            node["headline"] = titles[0].text
        years = _values(entity, BCLM + "year")
        if years:
            node["datePublished"] = years[0].text
        authors = _values(entity, BCLM + "authorsText")
        if authors:
            node["author"] = authors[0].text
        dois = _values(entity, "http://purl.org/ontology/bibo/doi")
        if dois:
            node["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI",
                                  "value": dois[0].text}
    elif kind == "MedicalTherapy":
        node["relevantSpecialty"] = "Oncologic"
    return node
