// Query page: the editor (CodeMirror bundle when installed, else the plain text box), running
// SPARQL against this endpoint, results as a table with labels or as a bar chart, share links
// and the recent queries kept in this browser.
"use strict";

const $ = (id) => document.getElementById(id);
const BASE = "https://w3id.org/bclm-kg/";
const RECENT_KEY = "bclm-kg.recent-queries";
const RECENT_MAX = 12;
let editor = null;
let lastData = null;

const getQuery = () => (editor ? editor.get() : $("query").value);
const setQuery = (text) => {
  $("query").value = text;
  if (editor) editor.set(text);
};
window.bclmQuery = { get: getQuery, set: setQuery };

function lang() {
  return $("query-form").dataset.lang || "en";
}

function termText(term) {
  if (!term) return "";
  if (term.type === "triple") {
    const v = term.value;
    return `<< ${termText(v.subject)} ${termText(v.predicate)} ${termText(v.object)} >>`;
  }
  if (term.type === "bnode") return "_:" + term.value;
  return term.value;
}

function termCell(term, labels) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const a = document.createElement("a");
    a.href = term.value.startsWith(BASE) ? "/" + term.value.slice(BASE.length) : term.value;
    const known = labels[term.value];
    const name = known && (lang() === "zh" ? known.zh || known.en : known.en || known.zh);
    a.textContent = name || (known && known.curie) || term.value;
    a.title = term.value;
    td.appendChild(a);
    if (name) {
      const small = document.createElement("span");
      small.className = "iri-small";
      small.textContent = (known && known.curie) || term.value;
      td.appendChild(small);
    }
  } else {
    td.textContent = termText(term);
    if (term["xml:lang"]) td.lang = term["xml:lang"];
  }
  return td;
}

async function fetchLabels(data) {
  const iris = new Set();
  for (const b of data.results.bindings) {
    for (const v of data.head.vars) if (b[v] && b[v].type === "uri") iris.add(b[v].value);
  }
  if (!iris.size) return {};
  try {
    const response = await fetch("/api/labels", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify([...iris].slice(0, 5000)),
    });
    return response.ok ? await response.json() : {};
  } catch (err) {
    return {};
  }
}

function showTable(data, labels) {
  const table = document.createElement("table");
  table.id = "results-table";
  const head = table.createTHead().insertRow();
  for (const v of data.head.vars) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = v;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const b of data.results.bindings) {
    const row = body.insertRow();
    for (const v of data.head.vars) row.appendChild(termCell(b[v], labels));
  }
  $("results").replaceChildren(table);
  return data.results.bindings.length;
}

// A bar chart for two-column results whose second column is a number in every row.
function chartable(data) {
  if (data.head.vars.length !== 2 || !data.results.bindings.length) return false;
  const [, value] = data.head.vars;
  return data.results.bindings.every((b) => b[value] && b[value].type === "literal"
    && b[value].value !== "" && !Number.isNaN(Number(b[value].value)));
}

function showChart(data, labels) {
  const [key, value] = data.head.vars;
  const rows = data.results.bindings.map((b) => {
    const term = b[key];
    const known = term && labels[term.value];
    const name = known && (lang() === "zh" ? known.zh || known.en : known.en || known.zh);
    return { name: name || termText(term), n: Number(b[value].value) };
  });
  const max = Math.max(...rows.map((r) => Math.abs(r.n)), 1);
  const list = document.createElement("ol");
  list.className = "bars";
  list.setAttribute("aria-label", `${value} by ${key}`);
  for (const r of rows) {
    const item = document.createElement("li");
    const name = document.createElement("span");
    name.className = "bar-name";
    name.textContent = r.name;
    const bar = document.createElement("span");
    bar.className = "bar";
    bar.style.width = `${(100 * Math.abs(r.n)) / max}%`;
    const num = document.createElement("span");
    num.className = "bar-value";
    num.textContent = String(r.n);
    const track = document.createElement("span");
    track.className = "bar-track";
    track.append(bar, num);
    item.append(name, track);
    list.appendChild(item);
  }
  $("chart").replaceChildren(list);
}

function currentView() {
  const checked = document.querySelector("input[name='view']:checked");
  return checked ? checked.value : "table";
}

function applyView() {
  const chart = currentView() === "chart" && !$("view-chart").disabled;
  $("chart").hidden = !chart;
  $("results").hidden = chart;
  updateShare();
}

function params(format) {
  const p = new URLSearchParams({ query: getQuery() });
  if ($("inference").checked) p.set("inference", "none");
  if (format) p.set("format", format);
  return p;
}

function updateShare() {
  const p = new URLSearchParams({ query: getQuery(), run: "1" });
  if (currentView() === "chart") p.set("view", "chart");
  if ($("inference").checked) p.set("inference", "none");
  $("share").href = `${location.pathname === "/sparql" ? "/" : location.pathname}?${p}`;
}

function loadRecent() {
  try {
    const list = JSON.parse(localStorage.getItem(RECENT_KEY) || "[]");
    return Array.isArray(list) ? list.filter((q) => typeof q === "string") : [];
  } catch (err) {
    return [];
  }
}

function remember(query) {
  const list = [query, ...loadRecent().filter((q) => q !== query)].slice(0, RECENT_MAX);
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(list));
  } catch (err) {
    return; // storage full or disabled: nothing to remember
  }
  fillRecent();
}

function fillRecent() {
  const select = $("recent");
  const first = select.options[0];
  select.replaceChildren(first);
  for (const q of loadRecent()) {
    const option = document.createElement("option");
    option.value = q;
    const line = q.split("\n").find((l) => l.trim() && !/^\s*PREFIX/i.test(l)) || q;
    option.textContent = line.replace(/^#\s*/, "").slice(0, 90);
    select.appendChild(option);
  }
}

async function run(event) {
  if (event) event.preventDefault();
  for (const id of ["error", "notice", "graph", "result-tools", "chart"]) $(id).hidden = true;
  $("results").hidden = false;
  $("results").replaceChildren();
  $("status").textContent = "running…";
  const started = performance.now();
  let response;
  try {
    response = await fetch($("query-form").action, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: params(),
    });
  } catch (err) {
    $("status").textContent = "";
    $("error").textContent = String(err);
    $("error").hidden = false;
    return;
  }
  const ms = Math.round(performance.now() - started);
  const text = await response.text();
  if (!response.ok) {
    $("status").textContent = `HTTP ${response.status}`;
    $("error").textContent = text;
    $("error").hidden = false;
    return;
  }
  remember(getQuery());
  const type = response.headers.get("Content-Type") || "";
  let summary;
  $("view-chart").disabled = true;
  if (type.startsWith("application/sparql-results+json")) {
    const data = JSON.parse(text);
    if ("boolean" in data) {
      $("results").textContent = "ASK: " + data.boolean;
      $("results").dataset.boolean = String(data.boolean);
      summary = "boolean";
    } else {
      const labels = await fetchLabels(data);
      summary = `${showTable(data, labels)} rows`;
      lastData = data;
      if (chartable(data)) {
        $("view-chart").disabled = false;
        showChart(data, labels);
      }
    }
  } else {
    $("graph").textContent = text;
    $("graph").hidden = false;
    summary = `${response.headers.get("X-Query-Rows")} triples`;
  }
  $("status").textContent = `${summary} · ${ms} ms`;
  if (response.headers.get("X-Query-Truncated") === "true") {
    $("notice").textContent =
      `Results cut at the limit of ${response.headers.get("X-Query-Row-Limit")} rows.`;
    $("notice").hidden = false;
  }
  for (const a of $("downloads").querySelectorAll("a")) {
    a.href = $("query-form").action + "?" + params(a.dataset.format).toString();
  }
  $("result-tools").hidden = false;
  applyView();
}

async function loadExamples() {
  const response = await fetch("/api/examples");
  const examples = await response.json();
  const select = $("examples");
  for (const q of examples) {
    const option = document.createElement("option");
    option.value = q.name;
    option.textContent = q.title;
    option.title = q.description;
    select.appendChild(option);
  }
  select.addEventListener("change", () => {
    const found = examples.find((q) => q.name === select.value);
    if (found) setQuery(found.query);
  });
  if (!getQuery().trim() && examples.length) {
    select.value = examples[0].name;
    setQuery(examples[0].query);
  }
}

async function startEditor() {
  if (!window.bclmEditor) return;
  let vocabulary = { prefixes: {}, terms: [] };
  try {
    const response = await fetch("/api/vocabulary");
    if (response.ok) vocabulary = await response.json();
  } catch (err) {
    vocabulary = { prefixes: {}, terms: [] };
  }
  editor = window.bclmEditor.create($("query"), {
    vocabulary,
    lang: lang(),
    label: document.querySelector("label[for='query']").textContent,
    onRun: () => $("query-form").requestSubmit(),
  });
  document.querySelector("label[for='query']").addEventListener("click", () => editor.focus());
}

document.addEventListener("DOMContentLoaded", async () => {
  const form = $("query-form");
  form.addEventListener("submit", run);
  $("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  $("recent").addEventListener("change", () => {
    if ($("recent").value) setQuery($("recent").value);
  });
  for (const input of document.querySelectorAll("input[name='view']")) {
    input.addEventListener("change", applyView);
  }
  if (form.dataset.view === "chart") $("view-chart").checked = true;
  fillRecent();
  await startEditor();
  await loadExamples();
  if (form.dataset.autorun === "true") run();
});
