import "dotenv/config";
import { explainStartupError, startBot } from "./bot.js";

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
    process.stderr.write(`${explainStartupError(error)}\n`);
    process.exit(1);
  },
);
