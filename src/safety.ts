/** The part of `process` the safety net listens on; an EventEmitter fits in tests. */
export interface ProcessEvents {
  on(event: "unhandledRejection" | "uncaughtException", listener: (error: unknown) => void): unknown;
  off(event: "unhandledRejection" | "uncaughtException", listener: (error: unknown) => void): unknown;
}

/**
 * Last line of defence for a long-running bot: an error nobody caught is logged and the process
 * keeps serving, instead of one bad request or a stray callback ending it for everyone. Every
 * known path handles its own errors; this only catches what slipped through (and logs it loudly,
 * since it is a bug). Returns a function that removes the handlers.
 */
export function installSafetyNet(
  target: ProcessEvents,
  logger: { error(...args: unknown[]): void },
): () => void {
  const onRejection = (error: unknown) => {
    logger.error("Unhandled promise rejection (a bug; the bot kept running)", error);
  };
  const onException = (error: unknown) => {
    logger.error("Uncaught exception (a bug; the bot kept running)", error);
  };
  target.on("unhandledRejection", onRejection);
  target.on("uncaughtException", onException);
  return () => {
    target.off("unhandledRejection", onRejection);
    target.off("uncaughtException", onException);
  };
}
