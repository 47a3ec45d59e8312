// Query page: run SPARQL against this endpoint with fetch, show results as a table.
"use strict";

const $ = (id) => document.getElementById(id);

function termText(term) {
  if (!term) return "";
  if (term.type === "triple") {
    const v = term.value;
    return `<< ${termText(v.subject)} ${termText(v.predicate)} ${termText(v.object)} >>`;
  }
  if (term.type === "bnode") return "_:" + term.value;
  return term.value;
}

function termCell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const a = document.createElement("a");
    const base = "https://w3id.org/bclm-kg/";
    a.href = term.value.startsWith(base) ? "/" + term.value.slice(base.length) : term.value;
    a.textContent = term.value;
    td.appendChild(a);
  } else {
    td.textContent = termText(term);
    if (term["xml:lang"]) td.lang = term["xml:lang"];
  }
  return td;
}

function showTable(data) {
  const table = document.createElement("table");
  table.id = "results-table";
  const head = table.createTHead().insertRow();
  for (const v of data.head.vars) {
    const th = document.createElement("th");
    th.textContent = v;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const b of data.results.bindings) {
    const row = body.insertRow();
    for (const v of data.head.vars) row.appendChild(termCell(b[v]));
  }
  $("results").replaceChildren(table);
  return data.results.bindings.length;
}

function params(format) {
  const p = new URLSearchParams({ query: $("query").value });
  if ($("inference").checked) p.set("inference", "none");
  if (format) p.set("format", format);
  return p;
}

async function run(event) {
  if (event) event.preventDefault();
  for (const id of ["error", "notice", "graph", "downloads"]) $(id).hidden = true;
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
  const type = response.headers.get("Content-Type") || "";
  let summary;
  if (type.startsWith("application/sparql-results+json")) {
    const data = JSON.parse(text);
    if ("boolean" in data) {
      $("results").textContent = "ASK: " + data.boolean;
      $("results").dataset.boolean = String(data.boolean);
      summary = "boolean";
    } else {
      summary = `${showTable(data)} rows`;
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
  $("downloads").hidden = false;
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
    if (found) $("query").value = found.query;
  });
  if (!$("query").value.trim() && examples.length) {
    select.value = examples[0].name;
    $("query").value = examples[0].query;
  }
}

document.addEventListener("DOMContentLoaded", async () => {
  $("query-form").addEventListener("submit", run);
  await loadExamples();
  if ($("query-form").dataset.autorun === "true") run();
});
