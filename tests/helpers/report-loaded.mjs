// Preloaded by tests/start-process.test.ts (`node --import`): on SIGUSR2, prints every CommonJS
// module node has loaded from disk so far, so a test can see what a start really loaded.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
process.on("SIGUSR2", () => {
  process.stdout.write(`LOADED_FROM_DISK ${JSON.stringify(Object.keys(require.cache))}\n`);
});
