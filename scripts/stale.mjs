// @ts-check
// The freshness check behind `npm start`, on its own so that a start with nothing to build loads
// only node:fs and node:path: build.mjs (child_process, crypto, esbuild's plugin) is loaded only
// when there is something to build. dist/.build-stamp records when a build last succeeded (see
// build.mjs); a start compares it with the newest source or setting, one stat per file.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");
export const STAMP = join(DIST, ".build-stamp");
/** Files besides src/**\/*.ts whose change makes a different build. */
const SETTINGS = ["tsconfig.json", "tsconfig.build.json", "package-lock.json", "scripts/build.mjs"];

/** @param {string} dir @returns {string[]} */
function sourcesIn(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesIn(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** True when dist/ is older than a source file or a build setting, or was never built. */
export function isStale() {
  if (!existsSync(STAMP) || !existsSync(join(DIST, "main.js")) || !existsSync(join(DIST, "cli.js"))) return true;
  const built = statSync(STAMP).mtimeMs;
  const files = [...sourcesIn(join(ROOT, "src")), ...SETTINGS.map((f) => join(ROOT, f)).filter(existsSync)];
  return files.some((file) => statSync(file).mtimeMs > built);
}
