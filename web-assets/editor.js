// The query page's editor: CodeMirror 6 with the SPARQL mode, completion of prefixes and of the
// ontology's classes and properties (with their labels), Ctrl+Enter to run.
// Bundled by web-assets/build.mjs into bclm_kg/web/static/vendor/editor.js (window.bclmEditor).
import { autocompletion, closeBrackets, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import {
  bracketMatching, defaultHighlightStyle, StreamLanguage, syntaxHighlighting,
} from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { EditorState } from "@codemirror/state";
import { EditorView, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";

function declared(doc) {
  const found = new Set();
  for (const m of doc.matchAll(/PREFIX\s+([\w-]*):/gi)) found.add(m[1]);
  return found;
}

// Completion: "bcl" offers prefixes, "bclm:Stu" offers terms; a chosen term whose prefix is not
// declared yet gets its PREFIX line added at the top.
function completer(vocabulary, lang) {
  const prefixes = Object.entries(vocabulary.prefixes || {});
  const terms = vocabulary.terms || [];
  return (context) => {
    const word = context.matchBefore(/[\w-]*:?[\w-]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const text = word.text;
    const colon = text.indexOf(":");
    if (colon < 0) {
      const line = context.state.doc.lineAt(context.pos).text.trimStart().toUpperCase();
      const options = prefixes.map(([p, iri]) => ({
        label: line.startsWith("PREFIX") ? `${p}: <${iri}>` : `${p}:`,
        type: "namespace",
        detail: iri,
      }));
      return { from: word.from, options, validFor: /^[\w-]*$/ };
    }
    const prefix = text.slice(0, colon);
    const iri = vocabulary.prefixes[prefix];
    if (!iri) return null;
    const options = terms.filter((t) => t.curie.startsWith(prefix + ":")).map((t) => ({
      label: t.curie,
      type: t.kind === "class" ? "class" : "property",
      detail: (lang === "zh" ? t.zh || t.en : t.en || t.zh) || "",
      info: [t.en, t.zh].filter(Boolean).join(" · "),
      apply: (view, completion, from, to) => {
        const changes = [{ from, to, insert: completion.label }];
        if (!declared(view.state.doc.toString()).has(prefix)) {
          changes.push({ from: 0, insert: `PREFIX ${prefix}: <${iri}>\n` });
        }
        view.dispatch({ changes });
      },
    }));
    return { from: word.from, options, validFor: /^[\w-]*:[\w-]*$/ };
  };
}

// The page's content security policy allows no inline style but one with the nonce its
// <script> element carries: CodeMirror writes its styles into a <style> element with it.
const NONCE = (document.currentScript && document.currentScript.nonce) || "";

function create(textarea, { vocabulary = { prefixes: {}, terms: [] }, onRun, label, lang } = {}) {
  const run = () => { if (onRun) onRun(); return true; };
  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        EditorView.cspNonce.of(NONCE),
        lineNumbers(),
        history(),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        StreamLanguage.define(sparql),
        syntaxHighlighting(defaultHighlightStyle),
        autocompletion({ override: [completer(vocabulary, lang)] }),
        keymap.of([{ key: "Mod-Enter", run }, ...completionKeymap, ...historyKeymap,
          ...defaultKeymap]),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ "aria-label": label || "SPARQL query" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) textarea.value = update.state.doc.toString();
        }),
      ],
    }),
  });
  textarea.hidden = true;
  textarea.after(view.dom);
  // The scroller scrolls long queries sideways on a phone: keyboard users must reach it too.
  view.scrollDOM.tabIndex = 0;
  view.scrollDOM.setAttribute("aria-label", label || "SPARQL query");
  return {
    view,
    get: () => view.state.doc.toString(),
    set: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
  };
}

window.bclmEditor = { create };
