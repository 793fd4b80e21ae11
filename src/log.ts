import type { Logger, LogLevel } from "@slack/bolt";
import type { LogLevel as Level } from "./config.js";
import { maskUrlCredentials } from "./url-credentials.js";

/**
 * Slack tokens as they appear in text, values that follow a secret-sounding key, and an OAuth `code`
 * as a JSON field or a query parameter (@slack/web-api logs `oauth.v2.access`'s body at debug level,
 * code included; a code is a credential until it is used). A bare "code" word is left alone: error
 * codes are what a reader needs.
 */
const SECRET =
  /\b(?:xox[abposre]-[\w-]+|xapp-[\w-]+)|(?<=(?:secret|token|authorization|password)["']?\s*[=:]\s*["']?(?:Bearer\s+)?|(?:"code"\s*:\s*"|[?&]code=))[^\s"',&}]{6,}/gi;

/** A copy of a log argument with every secret replaced; nothing matching ever reaches a log line. */
export function redact(value: unknown): unknown {
  if (typeof value === "string") return maskUrlCredentials(value.replace(SECRET, "[redacted]"));
  if (value instanceof Error) {
    const copy = new Error(redact(value.message) as string);
    copy.name = value.name;
    copy.stack = redact(value.stack) as string;
    const data = (value as { data?: unknown }).data;
    if (data !== undefined) Object.assign(copy, { data: redact(data) });
    return copy;
  }
  if (value && typeof value === "object") {
    try {
      // The reviver sees every nested value once; only strings need looking at.
      return JSON.parse(JSON.stringify(value), (key, v: unknown) => {
        if (/token|secret|authorization|password/i.test(key) && v !== null && typeof v !== "object")
          return "[redacted]";
        return typeof v === "string" ? redact(v) : v;
      });
    } catch {
      return "[unloggable object]";
    }
  }
  return value;
}

const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A console logger in Bolt's shape that passes every argument through `redact`. */
export function createLogger(
  level: Level,
  name = "em-focus",
  sink: Pick<Console, "log" | "error"> = console,
): Logger {
  let current: Level = level;
  let prefix = name;
  const write =
    (at: Level) =>
    (...args: unknown[]) => {
      if (ORDER[at] < ORDER[current]) return;
      const line = [`[${at.toUpperCase()}] ${prefix}`, ...args.map(redact)];
      if (at === "error" || at === "warn") sink.error(...line);
      else sink.log(...line);
    };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    setLevel: (l: LogLevel) => {
      current = l as unknown as Level;
    },
    getLevel: () => current as unknown as LogLevel,
    setName: (n: string) => {
      prefix = n;
    },
  };
}
