// @ts-check
// `npm start`: runs the bundled bot in this same process, building first only when a source file
// or build setting is newer than the last build (see build.mjs).
import { build, isStale } from "./build.mjs";

if (isStale()) {
  process.stderr.write("em-focus: sources changed since the last build; building…\n");
  await build();
}
await import("../dist/main.js");
