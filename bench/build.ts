import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "./common.js";

let checked = false;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Source files whose compiled dist/ file is missing or older than the source. */
function staleFiles(): string[] {
  const src = join(ROOT, "src");
  return sourceFiles(src).filter((file) => {
    const built = join(ROOT, "dist", relative(src, file).replace(/\.ts$/, ".js"));
    return !existsSync(built) || statSync(built).mtimeMs < statSync(file).mtimeMs;
  });
}

/**
 * The server children run `node dist/main.js`, so dist/ has to match src/. Builds it (npm run build)
 * when a source file is newer than its output; otherwise does nothing.
 */
export function ensureBuilt(): void {
  if (checked) return;
  const stale = staleFiles();
  if (stale.length > 0) {
    console.log(`  dist/ is older than ${stale.length} source file(s); running npm run build …`);
    const result = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
    if (result.status !== 0) throw new Error("npm run build failed; dist/ cannot be benchmarked");
  }
  checked = true;
}
