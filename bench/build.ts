import { spawnSync } from "node:child_process";
// @ts-expect-error: plain JavaScript module without types, run by `npm start` itself.
import { isStale } from "../scripts/build.mjs";
import { ROOT } from "./common.js";

let checked = false;

/**
 * The server children run the bundled `dist/main.js`, so dist/ has to match src/. Builds it
 * (npm run build) when a source file or build setting is newer than the last build.
 */
export function ensureBuilt(): void {
  if (checked) return;
  if ((isStale as () => boolean)()) {
    console.log("  dist/ is older than the sources; running npm run build …");
    const result = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
    if (result.status !== 0) throw new Error("npm run build failed; dist/ cannot be benchmarked");
  }
  checked = true;
}
