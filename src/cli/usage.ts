/** Each command's own usage: printed for `--help` (exit 0) and with a mistake in its options (exit 2). */
export const COMMAND_USAGE = {
  ask: `Usage:
  em-focus ask "question"           the article section that fits, as text
  em-focus ask --json "question"    the same as one JSON object
  em-focus ask < questions          one answer per input line (blank lines are skipped)
  em-focus ask --json < questions   one JSON object per input line (JSON Lines)`,
  content: `Usage:
  em-focus content check            validate every content file`,
  prompts: `Usage:
  em-focus prompts deliver [--now <ISO time>]
                                    deliver the weekly prompts that are due, once (for cron or
                                    operations; the running bot does this every minute)
  Needs, from the environment or .env:
    SLACK_BOT_TOKEN                 the bot token (xoxb-…) the prompts are sent with
    DATABASE_URL                    the bot's own store (default data/em-focus.db), where the
                                    subscriptions are and each delivery is claimed
    CONTENT_DIR                     the prompts in <CONTENT_DIR>/prompts (default content)
  --now <ISO time>                  deliver as if it were then, e.g. 2026-03-09T09:00:00Z`,
  keys: `Usage:
  em-focus keys rotate              seal every install's tokens under EM_FOCUS_ENCRYPTION_KEY
                                    (OAuth mode). Put the new key in EM_FOCUS_ENCRYPTION_KEY and the
                                    old one(s) in EM_FOCUS_OLD_ENCRYPTION_KEYS (comma-separated),
                                    restart, run this, then drop the old keys.`,
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
  em-focus --version                the version
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
