// Bundles the query editor (CodeMirror 6 with its SPARQL mode) and copies the map geometry
// into bclm_kg/web/static/vendor/, which the service serves and the wheel ships.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "bclm_kg", "web", "static", "vendor");
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [join(root, "web-assets", "editor.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  legalComments: "eof",
  outfile: join(out, "editor.js"),
});
copyFileSync(join(root, "node_modules", "world-atlas", "countries-110m.json"),
             join(out, "countries-110m.json"));
console.log(`web assets written to ${out}`);
