// @ts-check
// `npm start`: runs the bundled bot in this same process, building first only when a source file
// or build setting is newer than the last build (see stale.mjs); build.mjs is loaded only then.
import { isStale } from "./stale.mjs";

// npm runs this through `sh -c`, and on SIGTERM npm stops that shell, which does not pass the signal
// on: this process would keep serving as an orphan. When the parent goes away, stop as on SIGTERM.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, "SIGTERM");
}, 200).unref();

if (isStale()) {
  process.stderr.write("em-focus: sources changed since the last build; building…\n");
  const { build } = await import("./build.mjs");
  await build();
}
await import("../dist/main.js");
