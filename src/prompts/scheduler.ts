import { Cron } from "croner";
import {
  type DeliverOptions,
  type DeliveryLogger,
  type DeliveryReport,
  defaultInstanceId,
  deliverDuePrompts,
} from "./deliver.js";
import { SlackTokenError } from "./slack-errors.js";

export interface PromptDeliveryOptions extends Omit<DeliverOptions, "now"> {
  /** When passes run (default every minute, at second 0). */
  readonly pattern?: string;
  readonly onReport?: (report: DeliveryReport) => void;
  /** A pass that failed as a whole (e.g. SlackTokenError), after it was logged. */
  readonly onError?: (error: unknown) => void;
}

export interface PromptDelivery {
  /** Runs one pass now, unless one is already running (then resolves to undefined). */
  runOnce(now?: Date): Promise<DeliveryReport | undefined>;
  /** Stops starting passes; resolves when the pass in progress, if any, has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `deliverDuePrompts` every minute in the running app. Passes never overlap within a process;
 * across processes the claims in the database keep each prompt to one message.
 */
export function startPromptDelivery(options: PromptDeliveryOptions): PromptDelivery {
  const instanceId = options.instanceId ?? defaultInstanceId();
  const logger: DeliveryLogger | undefined = options.logger;
  let running: Promise<DeliveryReport | undefined> | undefined;

  function runOnce(now?: Date): Promise<DeliveryReport | undefined> {
    if (running) return Promise.resolve(undefined);
    running = deliverDuePrompts({ ...options, instanceId, ...(now ? { now } : {}) })
      .then((report) => {
        options.onReport?.(report);
        return report;
      })
      .catch((error: unknown) => {
        // A token error was logged in full by the pass itself; once is enough for its stack.
        logger?.error(
          "Prompt delivery pass failed; the next pass tries again",
          error instanceof SlackTokenError ? error.message : error,
        );
        options.onError?.(error);
        return undefined;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  const job = new Cron(
    options.pattern ?? "* * * * *",
    { name: "em-focus prompt delivery", unref: true },
    () => {
      void runOnce();
    },
  );

  return {
    runOnce,
    async stop() {
      job.stop();
      await running;
    },
  };
}
