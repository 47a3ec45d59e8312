"""The map of studies by lead country: counts from a named query, drawn on a world map
(geometry: the TopoJSON of the npm package world-atlas) with Vega-Lite, to SVG by vl-convert.
Each country with studies links to its evidence, ``/evidence?country={ISO code}``."""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import vl_convert

from ..namespaces import BASE
from ..queries import load_query
from ..query.store import KnowledgeStore
from .compute import python_value
from .render import FONT

REGION_COLOURS = {"Europe": "#3b6fb6", "Asia": "#c0504d", "North America": "#4f9a5b",
                  "Oceania": "#8e6bb8", "Asia / Europe": "#d98c2b"}
QUERY = "figures/map-countries"


@dataclass(frozen=True)
class Country:
    iri: str
    iso: str
    m49: str
    label_en: str
    label_zh: str
    regions_en: str
    regions_zh: str
    studies: int
    notes: tuple[str, ...]

    @property
    def disputed(self) -> bool:
        return bool(self.notes)

    @property
    def path(self) -> str:
        """The country's page on this service."""
        return "/" + self.iri[len(BASE):] if self.iri.startswith(BASE) else self.iri

    @property
    def evidence(self) -> str:
        return f"/evidence?country={self.iso}"


def countries(store: KnowledgeStore) -> list[Country]:
    """Every lead country of Tables 1 and 2 with its study count and disputing notes."""
    out = []
    for row in store.query(load_query(QUERY)):
        v = {name: python_value(row[name]) for name in (
            "country", "iso", "m49", "label_en", "label_zh", "regions_en", "regions_zh",
            "studies", "notes")}
        out.append(Country(str(v["country"]), str(v["iso"]), str(v["m49"]).zfill(3),
                           str(v["label_en"]), str(v["label_zh"]), str(v["regions_en"] or ""),
                           str(v["regions_zh"] or ""), int(v["studies"] or 0),
                           tuple(sorted(str(v["notes"] or "").split()))))
    return out


def map_spec(found: list[Country], topology: dict, lang: str = "en", link_base: str = "") -> dict:
    """A Vega-Lite world map: countries with studies filled by region, a circle sized by the
    number of studies at each one's centre, a dashed outline where a note disputes it. Links
    are ``link_base`` + the evidence path (absolute: the renderer resolves relative links
    against its own base)."""
    zh = lang == "zh"
    rows = [{"id": c.m49, "name": c.label_zh if zh else c.label_en, "iso": c.iso,
             "region": c.regions_en, "region_label": c.regions_zh if zh else c.regions_en,
             "studies": c.studies, "href": link_base + c.evidence,
             "disputed": ("存疑" if zh else "disputed") if c.disputed else
             ("无" if zh else "none")} for c in found]
    shapes = alt.InlineData(values=topology, format=alt.DataFormat(type="topojson",
                                                                   feature="countries"))
    projection = alt.Projection(type="equalEarth")
    lookup = alt.LookupData(data=alt.InlineData(values=rows), key="id",
                            fields=["name", "iso", "region", "region_label", "studies",
                                    "href", "disputed"])
    land = alt.Chart(shapes).mark_geoshape(fill="#e4e8ef", stroke="#ffffff", strokeWidth=0.5,
                                                 aria=False)  # background, not content
    region = "地区" if zh else "region"
    studied = alt.Chart(shapes).transform_lookup(lookup="id", from_=lookup).transform_filter(
        "datum.studies > 0").mark_geoshape(stroke="#ffffff", strokeWidth=0.5).encode(
        color=alt.Color("region_label:N", title=region, scale=alt.Scale(
            domain=[(r if not zh else _zh_region(found, r)) for r in REGION_COLOURS
                    if any(c.regions_en == r for c in found)],
            range=[REGION_COLOURS[r] for r in REGION_COLOURS
                   if any(c.regions_en == r for c in found)])),
        href="href:N", tooltip=["name:N", "studies:Q"])
    count = "研究数" if zh else "studies"
    dashed = "勘误说明" if zh else "curation note"
    dots = alt.Chart(shapes).transform_lookup(lookup="id", from_=lookup).transform_filter(
        "datum.studies > 0").transform_calculate(
        lon="geoCentroid(null, datum)[0]", lat="geoCentroid(null, datum)[1]").mark_circle(
        fill="#1d2430", fillOpacity=0.55, stroke="#1d2430", strokeWidth=1.5).encode(
        longitude="lon:Q", latitude="lat:Q",
        size=alt.Size("studies:Q", title=count, scale=alt.Scale(range=[60, 1400])),
        strokeDash=alt.StrokeDash("disputed:N", title=dashed, scale=alt.Scale(
            domain=["无" if zh else "none", "存疑" if zh else "disputed"],
            range=[[1, 0], [3, 2]])),
        href="href:N", tooltip=["name:N", "studies:Q"])
    chart = alt.layer(land, studied, dots).properties(
        width=760, height=400, projection=projection,
        description="Studies by lead country" if not zh else "按牵头国家分布的研究")
    return chart.configure(font=FONT).configure_view(stroke=None).to_dict()


def _zh_region(found: list[Country], region_en: str) -> str:
    return next(c.regions_zh for c in found if c.regions_en == region_en)


def map_svg(found: list[Country], topology: dict, lang: str = "en", link_base: str = "") -> str:
    return vl_convert.vegalite_to_svg(map_spec(found, topology, lang, link_base))
