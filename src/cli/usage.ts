/** Each command's own usage: printed for `--help` (exit 0) and with a mistake in its options (exit 2). */
export const COMMAND_USAGE = {
  ask: `Usage:
  em-focus ask "question"           the article section that fits, as text
  em-focus ask --json "question"    the same as one JSON object
  em-focus ask --json < questions   one JSON object per input line (JSON Lines)`,
  content: `Usage:
  em-focus content check            validate every content file`,
  prompts: `Usage:
  em-focus prompts deliver [--now <ISO time>]
                                    deliver the weekly prompts that are due, once`,
  gaps: `Usage:
  em-focus gaps [--since 30d] [--json]
                                    questions the bot could not answer and answers marked 👎,
                                    grouped by wording, most frequent first (--since: 12h, 30d, 2w;
                                    default 30d, at most the 90 days kept)`,
} as const;

export type CommandName = keyof typeof COMMAND_USAGE;

/** What `em-focus` with no command, or a wrong one, prints. */
export const USAGE = `Usage:
${Object.values(COMMAND_USAGE)
  .map((usage) => usage.replace(/^Usage:\n/, ""))
  .join("\n")}
Settings come from the environment and .env (see .env.example). Each command answers --help.`;

/** A mistake in the command line: printed with the usage (the command's own when known), exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string = USAGE,
  ) {
    super(message);
  }
}

/** Where a command reads and writes: the process itself, or test streams. */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}
