/**
 * What the process does when nobody reads its output any more: stdout or stderr is a pipe or
 * socket whose reader died (a log shipper restarting, a parent gone). Each write then fails with
 * EPIPE. Node's stdio streams are never really destroyed, so without a handler every write raises
 * an 'error' nobody handles; the safety net logs that uncaught error through the same stream, which
 * fails again — forever, at full CPU, with no request answered and SIGTERM never reached.
 *
 * Guarded, a stream that failed drops its writes for a while (log lines are lost, the bot keeps
 * serving), then tries one again, so logging resumes when a reader comes back. The failure is said
 * once, on the other stream: a logging failure is never logged through the stream that failed.
 */

/** How long a stream that failed drops writes before one is tried again. */
const QUIET_MS = 5_000;

type WriteCallback = (error?: Error | null) => void;

/** A stream em-focus writes its log to; process.stdout and process.stderr fit. */
export interface OutputStream {
  write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** Guards `stream`; `warn` says once, elsewhere, that it failed. */
export function guardOutput(stream: OutputStream, name: string, warn: (line: string) => void): void {
  const write = stream.write.bind(stream);
  let quietUntil = 0;
  let said = false;
  stream.on("error", (error) => {
    quietUntil = Date.now() + QUIET_MS;
    if (said) return;
    said = true;
    const code = (error as NodeJS.ErrnoException).code ?? error.message;
    warn(`[WARN] em-focus ${name} failed (${code}): its log lines are dropped while nobody reads them\n`);
  });
  stream.write = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    if (Date.now() < quietUntil) {
      const done = (typeof encoding === "function" ? encoding : callback) as WriteCallback | undefined;
      if (done) queueMicrotask(() => done(null));
      return true;
    }
    return write(chunk, encoding, callback);
  };
}

/** Guards the process's stdout and stderr; each reports its failure on the other. */
export function guardStdio(
  stdout: OutputStream = process.stdout,
  stderr: OutputStream = process.stderr,
): void {
  // A write that fails here is handled by the other stream's own guard: no loop.
  guardOutput(stdout, "stdout", (line) => stderr.write(line));
  guardOutput(stderr, "stderr", (line) => stdout.write(line));
}
