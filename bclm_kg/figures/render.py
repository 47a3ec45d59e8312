"""Charts of the figures: Vega-Lite specs built with Altair, drawn to SVG by vl-convert (no
browser, no network), in English or Chinese."""

from __future__ import annotations

import altair as alt
import vl_convert

from .compute import Figure

FONT = "Noto Sans, Noto Sans CJK SC, DejaVu Sans, sans-serif"
WIDTH = 560
TEXT = {
    "studies": {"en": "studies", "zh": "研究数"},
    "status": {"en": "status", "zh": "状态"},
    "completed": {"en": "completed", "zh": "已完成"},
    "ongoing": {"en": "ongoing", "zh": "进行中"},
    "region": {"en": "region", "zh": "地区"},
    "year": {"en": "year", "zh": "年份"},
    "grouping": {"en": "grouping", "zh": "分组"},
    "period": {"en": "period", "zh": "时期"},
    "treatment": {"en": "treatment", "zh": "治疗方法"},
    "factor": {"en": "favourable prognostic factor", "zh": "有利预后因素"},
    "value": {"en": "value", "zh": "数值"},
    "measure": {"en": "outcome", "zh": "结局"},
    "study": {"en": "study", "zh": "研究"},
    "share": {"en": "share (%)", "zh": "占比(%)"},
}
MEASURES_ZH = {"median OS (months)": "中位OS(月)", "3-year OS (%)": "3年OS率(%)",
               "5-year OS (%)": "5年OS率(%)"}


def _t(key: str, lang: str) -> str:
    return TEXT[key]["zh" if lang == "zh" else "en"]


def _lab(row: dict, stem: str, lang: str) -> str:
    return str(row.get(f"{stem}_{lang}") or row.get(f"{stem}_en") or "")


def _figure_1(figure: Figure, lang: str) -> alt.Chart:
    order: list[str] = []
    values, rank = [], {}
    for row in figure.rows:
        period = _lab(row, "period", lang)
        if period not in order:
            order.append(period)
        rank[period] = rank.get(period, 0) + 1
        label = _lab(row, "label", lang)
        code = row.get("code")
        values.append({"period": period, "slot": rank[period],
                       "technique": f"{label} ({code})" if code and lang == "en" else label})
    base = alt.Chart(alt.Data(values=values)).encode(
        y=alt.Y("period:N", sort=order, title=_t("period", lang)),
        x=alt.X("slot:O", axis=None))
    boxes = base.mark_rect(color="#dbe7f6", stroke="#5b7db1", cornerRadius=4)
    words = base.mark_text(fontSize=10, color="#1d2430", limit=175).encode(text="technique:N")
    return (boxes + words).properties(width=alt.Step(185), height=alt.Step(34))


def _figure_2a(figure: Figure, lang: str) -> alt.Chart:
    values = []
    for row in figure.rows:
        total, ongoing = int(row["studies"] or 0), int(row["ongoing"] or 0)
        region = _lab(row, "region", lang)
        values.append({"region": region, "status": _t("completed", lang), "n": total - ongoing})
        values.append({"region": region, "status": _t("ongoing", lang), "n": ongoing})
    order = [_lab(r, "region", lang) for r in figure.rows]
    return alt.Chart(alt.Data(values=values)).mark_bar().encode(
        y=alt.Y("region:N", sort=order, title=_t("region", lang)),
        x=alt.X("sum(n):Q", title=_t("studies", lang), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("status:N", title=_t("status", lang),
                        scale=alt.Scale(range=["#3b6fb6", "#f0a34a"])),
        order=alt.Order("status:N"),
    ).properties(width=WIDTH, height=alt.Step(30))


def _figure_2b(figure: Figure, lang: str) -> alt.Chart:
    values = [{"year": str(r["year"]), "grouping": _lab(r, "grouping", lang), "n": r["studies"]}
              for r in figure.rows]
    return alt.Chart(alt.Data(values=values)).mark_bar().encode(
        x=alt.X("year:O", title=_t("year", lang), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sum(n):Q", title=_t("studies", lang), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("grouping:N", title=_t("grouping", lang),
                        scale=alt.Scale(range=["#c0504d", "#3b6fb6"])),
    ).properties(width=WIDTH, height=260)


def _figure_3a(figure: Figure, lang: str) -> alt.Chart:
    values = [{"treatment": f"{r['code']} · {_lab(r, 'label', lang)}", "n": r["studies"],
               "text": f"{r['studies']} ({r['share']}%)"} for r in figure.rows]
    order = [v["treatment"] for v in values]
    base = alt.Chart(alt.Data(values=values)).encode(
        y=alt.Y("treatment:N", sort=order, title=_t("treatment", lang)),
        x=alt.X("n:Q", title=_t("studies", lang)))
    return (base.mark_bar(color="#3b6fb6") + base.mark_text(align="left", dx=4).encode(
        text="text:N")).properties(width=WIDTH - 120, height=alt.Step(24))


def _figure_3b(figure: Figure, lang: str) -> alt.Chart:
    values = [{"treatment": r["treatment"], "value": r["value"], "study": r["study_label"],
               "measure": MEASURES_ZH.get(str(r["measure"]), r["measure"]) if lang == "zh"
               else r["measure"]} for r in figure.rows]
    order = ["median OS (months)", "3-year OS (%)", "5-year OS (%)"]
    if lang == "zh":
        order = [MEASURES_ZH[m] for m in order]
    points = alt.Chart().mark_circle(size=70, opacity=0.75).encode(
        x=alt.X("treatment:N", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=_t("value", lang)),
        color=alt.Color("treatment:N", title=_t("treatment", lang),
                        scale=alt.Scale(domain=["HR", "RFA"], range=["#3b6fb6", "#c0504d"])),
        tooltip=["study:N", "value:Q"])
    medians = alt.Chart().mark_tick(color="#1d2430", thickness=2, size=28).encode(
        x="treatment:N", y="median(value):Q")
    return alt.layer(points, medians, data=alt.Data(values=values)).properties(
        width=150, height=240).facet(
        column=alt.Column("measure:N", sort=order, title=None)).resolve_scale(y="independent")


def _factors(figure: Figure, lang: str) -> alt.Chart:
    values = [{"factor": _lab(r, "factor", lang), "n": r["studies"]} for r in figure.rows]
    order = [v["factor"] for v in values]
    return alt.Chart(alt.Data(values=values)).mark_bar(color="#3b6fb6").encode(
        y=alt.Y("factor:N", sort=order, title=_t("factor", lang),
                axis=alt.Axis(labelLimit=330)),
        x=alt.X("n:Q", title=_t("studies", lang), axis=alt.Axis(tickMinStep=1)),
    ).properties(width=WIDTH - 260, height=alt.Step(22))


CHARTS = {"1": _figure_1, "2a": _figure_2a, "2b": _figure_2b, "3a": _figure_3a,
          "3b": _figure_3b, "3c": _factors, "3d": _factors}


def vega_lite(figure: Figure, lang: str = "en") -> dict:
    """The figure's Vega-Lite spec (data inline)."""
    title = figure.spec.caption_zh if lang == "zh" else figure.spec.caption_en
    chart = CHARTS[figure.spec.id](figure, lang).properties(
        description=f"{figure.spec.label_en}: {title}")
    return chart.configure(font=FONT).configure_view(stroke=None).to_dict()


def svg(figure: Figure, lang: str = "en") -> str:
    """The figure as a standalone SVG document."""
    return vl_convert.vegalite_to_svg(vega_lite(figure, lang))
