"""What each figure of the review is: its query, caption (Chinese and English, as printed),
the columns of its data table, and the curation notes that bear on its counts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FigureSpec:
    id: str  # "1", "2a", …
    query: str  # file name in bclm_kg/queries/figures/ without .rq
    caption_zh: str  # as printed in the review
    caption_en: str
    columns: tuple[str, ...]  # result variables shown in the data table and the CSV
    notes: tuple[str, ...] = ()  # curation-note ids (note/{id}) shown beside the chart
    remark_en: str = ""  # how the graph's figure relates to the printed one
    remark_zh: str = ""

    @property
    def label_en(self) -> str:
        return f"Figure {self.id.upper()}"

    @property
    def label_zh(self) -> str:
        return f"图{self.id.upper()}"


FIG2 = ("2014—2024年BCLM外科治疗研究数量分布图",
        "Distribution of research on surgical treatment for BCLM from 2014 to 2024")
FIG3 = ("2014—2024年HR与RFA在BCLM治疗中的应用及其效果分析",
        "Application and efficacy analysis of HR and RFA in the treatment of BCLM "
        "from 2014 to 2024")

CATALOGUE: tuple[FigureSpec, ...] = (
    FigureSpec(
        "1", "figure-1", "BCLM外科治疗的历史发展",
        "Historical development of surgical treatment for BCLM",
        ("period_en", "period_zh", "start_year", "code", "label_en", "label_zh"),
        notes=("endocrine-ablation-as-ablation",),
        remark_en="The techniques section 1 places in each period; the printed figure is a drawing "
                  "whose data are not in the text.",
        remark_zh="第1节所述各时期出现的技术；原图为示意图，其数据未见于正文。"),
    FigureSpec(
        "2a", "figure-2a", f"{FIG2[0]} A: 地区分布图", f"{FIG2[1]} A: Regional distribution",
        ("region_en", "region_zh", "studies", "ongoing"),
        notes=("verriest-country", "ruiz-2018b-country", "innsbruck-austria-not-australia",
               "chen-2022-taiwan", "cheung-2019-hong-kong"),
        remark_en="Counted by the lead country as printed in Tables 1 and 2; the curation notes "
                  "beside the chart name the studies whose country the review seems to get "
                  "wrong, which would move them to another region.",
        remark_zh="按表1、表2所印牵头国家计数；旁注列出国家可能有误的研究，更正后其所属地区会改变。"),
    FigureSpec(
        "2b", "figure-2b", f"{FIG2[0]} B: 时间分布图", f"{FIG2[1]} B: Temporal distribution",
        ("year", "grouping_en", "grouping_zh", "studies"),
        notes=("he-2019-year",),
        remark_en="Completed studies by the completion/publication year printed in the tables; "
                  "the ongoing trials have no year.",
        remark_zh="按表中所印完成/发表年份统计已完成研究；进行中的试验无年份。"),
    FigureSpec(
        "3a", "figure-3a", f"{FIG3[0]} A: 不同外科治疗方法的比例分布",
        f"{FIG3[1]} A: Proportional distribution of different surgical treatment methods",
        ("code", "label_en", "label_zh", "studies", "share"),
        notes=("sadot-2016-and-or",),
        remark_en="Studies of Tables 1 and 2 with an arm receiving (or possibly receiving) each "
                  "local treatment; a study with two treatments counts for both.",
        remark_zh="表1、表2中含接受（或可能接受）各局部治疗之组的研究数；含两种治疗的研究各计一次。"),
    FigureSpec(
        "3b", "figure-3b", f"{FIG3[0]} B: 治疗效果比较",
        f"{FIG3[1]} B: Comparison of treatment outcomes",
        ("study_label", "treatment", "measure", "value"),
        notes=("verriest-3-year-os", "wang-2017b-mean-sd", "sadot-2016-and-or"),
        remark_en="Arms whose only local treatment is HR or RFA (stereotactic RFA included); arms "
                  "with a choice of treatments (such as Sadot 2016's HR/RFA) are left out.",
        remark_zh="仅含一种局部治疗（HR或RFA，含立体定向RFA）的组；"
                  "可选多种治疗的组（如Sadot 2016的HR/RFA）未计入。"),
    FigureSpec(
        "3c", "figure-3c", f"{FIG3[0]} C: HR有利预后因素的支持研究数量",
        f"{FIG3[1]} C: Number of supporting studies on favorable prognostic factors for HR",
        ("factor_en", "factor_zh", "studies", "which"),
        notes=("section-4-factor-support-counts",),
        remark_en="Section 4 says that low T and N stage, no recurrence before HR and no "
                  "extrahepatic disease are each supported by at least two HR studies; in the "
                  "tables each has one (see the note).",
        remark_zh="第4节称低T/N分期、HR前无肿瘤复发、无肝外疾病等均至少有2项研究支持；表中各仅1项（见旁注）。"),
    FigureSpec(
        "3d", "figure-3d", f"{FIG3[0]} D: RFA有利预后因素的支持研究数量",
        f"{FIG3[1]} D: Number of supporting studies on favorable prognostic factors for RFA",
        ("factor_en", "factor_zh", "studies", "which"),
        remark_en="Studies with an arm involving RFA (stereotactic RFA included, also as one of a "
                  "choice).",
        remark_zh="含涉及RFA（含立体定向RFA，也包括作为可选治疗之一）之组的研究。"),
)


def spec(figure_id: str) -> FigureSpec | None:
    """The figure with this id (``1``, ``2a`` … ``3d``), case-insensitive."""
    return next((f for f in CATALOGUE if f.id == figure_id.lower()), None)
