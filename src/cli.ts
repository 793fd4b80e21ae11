#!/usr/bin/env node
// The `em-focus` command (package.json bin → dist/cli.js). The commands live in src/cli/.
import "dotenv/config";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runCli } from "./cli/run.js";
import { redact } from "./log.js";

export type { Io } from "./cli/usage.js";
export { UsageError } from "./cli/usage.js";
export { runCli };

// Run when executed as the bin or with tsx; not when imported by tests.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runCli(process.argv.slice(2), process).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`em-focus: unexpected error: ${redact(message)}\n`);
      process.exitCode = 1;
    },
  );
}
