// @ts-check
// `npm start`: runs the compiled bot in this same process, compiling first only when a source file
// or compiler setting is newer than the last build (see build.mjs).
import { build, isStale } from "./build.mjs";

if (isStale()) {
  process.stderr.write("em-focus: sources changed since the last build; compiling…\n");
  build();
}
await import("../dist/main.js");
