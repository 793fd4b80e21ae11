/** What `em-focus` with no command, or a wrong one, prints. */
export const USAGE = `Usage:
  em-focus ask "question"           the article section that fits, as text
  em-focus ask --json "question"    the same as one JSON object
  em-focus ask --json < questions   one JSON object per input line (JSON Lines)
  em-focus content check            validate every content file
  em-focus prompts deliver [--now <ISO time>]
                                    deliver the weekly prompts that are due, once
Settings come from the environment and .env (see .env.example).`;

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** Where a command reads and writes: the process itself, or test streams. */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}
