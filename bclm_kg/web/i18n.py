"""English or Chinese for the pages: ``?lang=`` (remembered in a cookie), then the cookie, then
``Accept-Language``; and the interface's strings in both languages."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

from flask import Flask, Response, g, request
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

LANGS = ("en", "zh")
COOKIE = "lang"
YEAR = 365 * 24 * 3600

MESSAGES: dict[str, tuple[str, str]] = {  # key: (English, Chinese)
    "site": ("Breast cancer liver metastases knowledge graph", "乳腺癌肝转移知识图谱"),
    "skip": ("Skip to content", "跳到正文"),
    "nav": ("Site", "网站导航"),
    "nav.evidence": ("Evidence", "证据"),
    "nav.query": ("Query", "查询"),
    "nav.api": ("API", "API"),
    "nav.figures": ("Figures", "图表"),
    "nav.map": ("Map", "地图"),
    "nav.ontology": ("Ontology", "本体"),
    "nav.void": ("Dataset (VoID)", "数据集(VoID)"),
    "nav.download": ("Download", "下载"),
    "language": ("Language", "语言"),
    "footer": ("data CC BY 4.0 · source", "数据 CC BY 4.0 · 来源"),
    "query.title": ("Query the knowledge graph", "查询知识图谱"),
    "query.endpoint": ("SPARQL 1.1 endpoint", "SPARQL 1.1 端点"),
    "query.dataset": ("default graph = union of the ontology, asserted, inferred and provenance "
                      "graphs", "默认图 = 本体图、断言图、推理图和溯源图的并集"),
    "query.limits": ("results are limited to %s rows and %s s.", "结果最多 %s 行、%s 秒。"),
    "query.examples": ("Examples", "示例查询"),
    "query.choose": ("— choose an example query —", "— 选择示例查询 —"),
    "query.recent": ("Recent", "最近的查询"),
    "query.recent.none": ("— recent queries —", "— 最近的查询 —"),
    "query.label": ("SPARQL query", "SPARQL 查询"),
    "query.run": ("Run query", "运行查询"),
    "query.noinference": ("without inferred triples", "不含推理三元组"),
    "query.share": ("Share link", "分享链接"),
    "query.table": ("Table", "表格"),
    "query.chart": ("Bar chart", "条形图"),
    "query.view": ("Result view", "结果视图"),
    "query.keys": ("Ctrl+Enter runs the query; Ctrl+Space completes prefixes, classes and "
                   "properties.", "Ctrl+Enter 运行查询；Ctrl+Space 补全前缀、类和属性。"),
    "query.plain": ("The editor's script is not installed (run `make` or `npm ci && npm run "
                    "build`): this is a plain text box without highlighting or completion.",
                    "编辑器脚本未安装（请运行 `make` 或 `npm ci && npm run build`）："
                    "当前为无高亮和补全的普通文本框。"),
    "figures.title": ("The review's figures, computed from the graph",
                      "述评中的图，由知识图谱实时计算"),
    "figures.intro": ("Each figure is recomputed at every request by a named SPARQL query over "
                      "the current release; when a study is added to the data, the figures change "
                      "with the next build.",
                      "每张图在每次请求时由命名 SPARQL 查询基于当前发布版本重新计算；"
                      "数据中新增研究后，下一次构建即会更新图表。"),
    "figures.query": ("Open its query", "打开查询"),
    "figures.csv": ("Data (CSV)", "数据(CSV)"),
    "figures.svg": ("Chart (SVG)", "图(SVG)"),
    "figures.data": ("Data table", "数据表"),
    "figures.notes": ("Where the graph and the review differ", "图谱与述评的差异"),
    "figures.printed": ("printed", "原文"),
    "figures.suggested": ("probably", "可能应为"),
    "figures.about": ("about", "涉及"),
    "figures.contents": ("Figures", "图目录"),
    "map.title": ("Studies by lead country", "按牵头国家分布的研究"),
    "map.intro": ("Studies and trials of Tables 1 and 2 by the lead country printed in the review, "
                  "sized by their number and coloured by region. Select a country for its "
                  "evidence. Countries marked † are disputed by a curation note.",
                  "表1、表2中的研究和试验按述评所印牵头国家分布，圆点大小表示数量，颜色表示地区。"
                  "选择国家可查看其证据。标有†的国家有勘误说明。"),
    "map.country": ("Country", "国家"),
    "map.region": ("Region", "地区"),
    "map.studies": ("Studies", "研究数"),
    "map.disputed": ("Disputed (curation note)", "存疑（勘误说明）"),
    "map.evidence": ("evidence", "证据"),
    "map.missing": ("The world map geometry (npm package world-atlas) is not installed; the "
                    "table below lists the same data.",
                    "世界地图数据（npm 包 world-atlas）未安装；下表列出相同数据。"),
    "ontology.title": ("The bclm-kg ontology", "bclm-kg 本体"),
    "entity.stated": ("Stated in the review", "述评出处"),
    "entity.parts": ("Parts", "组成部分"),
    "entity.linked": ("Linked Data", "关联数据"),
    "entity.studies": ("Studies using this intervention", "使用该干预的研究"),
    "entity.inbound": ("Linked from", "被以下资源引用"),
    "entity.type": ("type", "类型"),
    "entity.inferred": ("inferred", "推理所得"),
}


def choose(req=None) -> str:
    """The language of this request's page."""
    req = req or request
    asked = req.args.get("lang", "")
    if asked in LANGS:
        return asked
    remembered = req.cookies.get(COOKIE, "")
    if remembered in LANGS:
        return remembered
    return _best_language(req.headers.get("Accept-Language", ""))


@lru_cache(maxsize=256)
def _best_language(header: str) -> str:
    """The best of :data:`LANGS` for an Accept-Language header; remembered."""
    return parse_accept_header(header, LanguageAccept).best_match(LANGS, default="en") or "en"


def text(key: str, lang: str) -> str:
    en, zh = MESSAGES[key]
    return zh if lang == "zh" else en


def init_app(app: Flask) -> None:
    @app.before_request
    def _language() -> None:
        g.lang = choose()

    @app.after_request
    def _remember(response: Response) -> Response:
        asked = request.args.get("lang", "")
        if asked in LANGS and response.mimetype == "text/html":
            response.set_cookie(COOKIE, asked, max_age=YEAR, samesite="Lax")
        if response.mimetype == "text/html":
            response.vary.add("Accept-Language")
            response.vary.add("Cookie")
        return response

    @app.context_processor
    def _helpers() -> dict:
        lang = g.get("lang", "en")

        def t(key: str) -> str:
            return text(key, lang)

        def pick(en: str | None, zh: str | None) -> str:
            return (zh or en or "") if lang == "zh" else (en or zh or "")

        def switch_url(code: str) -> str:
            args = request.args.to_dict()
            args["lang"] = code
            return request.path + "?" + urlencode(args)

        return {"lang": lang, "t": t, "pick": pick, "switch_url": switch_url}

