import "dotenv/config";
import { explainStartupError, startBot } from "./bot.js";
import { createLogger } from "./log.js";
import { installSafetyNet } from "./safety.js";
import { guardStdio } from "./stdio.js";

// A log reader that went away must not take the process with it; see src/stdio.ts.
guardStdio();
// Nothing a request can do may end the process; see src/safety.ts.
installSafetyNet(process, createLogger("error"));

startBot().then(
  (bot) => {
    let stopping = false;
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.on(signal, () => {
        if (stopping) return;
        stopping = true;
        bot.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      });
    }
  },
  (error: unknown) => {
    process.stderr.write(`${explainStartupError(error)}\n`); // redacted there
    process.exit(1);
  },
);
