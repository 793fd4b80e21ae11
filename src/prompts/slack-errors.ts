/**
 * Errors after which sending to the target again cannot work until someone acts: the
 * subscription is paused with the error as its reason.
 */
export const PAUSING_ERRORS: ReadonlySet<string> = new Set([
  "account_inactive",
  "user_not_found",
  "channel_not_found",
  "is_archived",
  "not_in_channel",
]);

/** Platform errors Slack documents as its own passing trouble. */
const PASSING_PLATFORM_ERRORS: ReadonlySet<string> = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
]);

export type SlackFailure =
  /** Slack answered 429: wait `retryAfterMs`, then carry on. */
  | { readonly kind: "rate_limited"; readonly retryAfterMs: number }
  /** The target is gone or unreachable: pause the subscription. */
  | { readonly kind: "pause"; readonly reason: string }
  /** 5xx, timeouts, network: try again on a later pass. */
  | { readonly kind: "transient"; readonly reason: string }
  /** Slack refused the message for good (e.g. `invalid_blocks`): give up on this one. */
  | { readonly kind: "permanent"; readonly reason: string }
  /** Not a Slack error at all: a bug or a crash in our own code. */
  | { readonly kind: "unexpected"; readonly reason: string };

function field(value: unknown, key: string): unknown {
  return value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Sorts a WebClient error by what delivery should do next. Reads the `code` the Slack SDK sets
 * rather than `instanceof`, so errors from another copy of the SDK classify the same.
 */
export function classifySlackError(error: unknown): SlackFailure {
  const code = field(error, "code");
  switch (code) {
    case "slack_webapi_rate_limited_error": {
      const seconds = Number(field(error, "retryAfter"));
      return {
        kind: "rate_limited",
        retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000,
      };
    }
    case "slack_webapi_platform_error": {
      const reason = String(field(field(error, "data"), "error") ?? "unknown_error");
      if (PAUSING_ERRORS.has(reason)) return { kind: "pause", reason };
      if (reason === "ratelimited") return { kind: "rate_limited", retryAfterMs: 1000 };
      if (PASSING_PLATFORM_ERRORS.has(reason)) return { kind: "transient", reason };
      return { kind: "permanent", reason };
    }
    case "slack_webapi_http_error": {
      const status = Number(field(error, "statusCode"));
      if (status === 429) {
        const header = Number(field(field(error, "headers"), "retry-after"));
        return {
          kind: "rate_limited",
          retryAfterMs: Number.isFinite(header) && header > 0 ? header * 1000 : 1000,
        };
      }
      if (status >= 500 || status === 408) return { kind: "transient", reason: `http_${status}` };
      return { kind: "permanent", reason: `http_${status}` };
    }
    case "slack_webapi_request_error": {
      const original = field(error, "original");
      const detail = field(original, "code") ?? field(original, "message") ?? "network error";
      return { kind: "transient", reason: `request_error: ${String(detail)}` };
    }
    default:
      return { kind: "unexpected", reason: error instanceof Error ? error.message : String(error) };
  }
}
