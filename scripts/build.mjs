// @ts-check
// `npm run build` (also run at install, by `prepare`) and the freshness check behind `npm start`:
// dist/ is compiled from src/ with tsc, and dist/.build-stamp records when that last succeeded.
// A start compares the stamp with the newest source or compiler setting (one stat per file, a
// millisecond or two) and compiles only when something is newer, so an unchanged checkout starts
// at once.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const STAMP = join(ROOT, "dist", ".build-stamp");
const SETTINGS = ["tsconfig.json", "tsconfig.build.json", "package-lock.json"];

/** @param {string} dir */
function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestIn(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist/ is older than a source file or a compiler setting, or was never built. */
export function isStale() {
  if (!existsSync(STAMP) || !existsSync(join(ROOT, "dist", "main.js"))) return true;
  const built = statSync(STAMP).mtimeMs;
  const settings = SETTINGS.map((f) => join(ROOT, f)).filter((f) => existsSync(f));
  return Math.max(newestIn(join(ROOT, "src")), ...settings.map((f) => statSync(f).mtimeMs)) > built;
}

/** Compiles src/ into dist/ and stamps it; exits the process with tsc's status when it fails. */
export function build() {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json")], { stdio: "inherit" });
  if (result.status !== 0) {
    process.stderr.write("em-focus: the TypeScript build failed (above); nothing was started.\n");
    process.exit(result.status ?? 1);
  }
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) build();
