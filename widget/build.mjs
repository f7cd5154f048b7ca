// Build the widget into dist/: one minified script with its stylesheet inlined, named by
// the hash of its content so that hosts may cache it forever, plus manifest.json that
// tells the Python service the current names. The console's copy of the Socket.IO
// browser client goes to dist/vendor/ (the console is served by Nabij, not bundled).
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");

function hashed(name, contents) {
  const digest = createHash("sha256").update(contents).digest("hex").slice(0, 12);
  return name.replace(/\.(\w+)$/, `.${digest}.$1`);
}

async function bundle(entry) {
  const result = await build({
    entryPoints: [join(here, "src", entry)],
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2019"],
    loader: { ".css": "text" },
    legalComments: "none",
    write: false,
  });
  return result.outputFiles[0].contents;
}

function clean() {
  mkdirSync(dist, { recursive: true });
  for (const name of readdirSync(dist)) {
    rmSync(join(dist, name), { recursive: true, force: true });
  }
}

clean();
const manifest = {};
const widget = await bundle("widget.js");
manifest["widget.js"] = hashed("widget.js", widget);
writeFileSync(join(dist, manifest["widget.js"]), widget);

mkdirSync(join(dist, "vendor"));
copyFileSync(
  join(here, "node_modules", "socket.io-client", "dist", "socket.io.min.js"),
  join(dist, "vendor", "socket.io.min.js"),
);
writeFileSync(join(dist, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
