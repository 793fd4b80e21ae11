/**
 * Errors after which sending to the target again cannot work until someone acts: the
 * subscription is paused with the error as its reason.
 */
export const PAUSING_ERRORS: ReadonlySet<string> = new Set([
  "user_not_found",
  "channel_not_found",
  "is_archived",
  "not_in_channel",
]);

/**
 * Errors about the bot token or the app's installation, not about one prompt: every call fails
 * alike until someone fixes SLACK_BOT_TOKEN or the app's scopes. (`account_inactive` from a call
 * made with a bot token means the bot or its workspace was deactivated; a deactivated person shows
 * up as `deleted` in users.info instead.)
 */
export const TOKEN_ERRORS: ReadonlySet<string> = new Set([
  "not_authed",
  "invalid_auth",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "missing_scope",
  "no_permission",
  "not_allowed_token_type",
  "ekm_access_denied",
  "team_access_not_granted",
  "org_login_required",
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
  /** The token or the app's scopes are wrong: nothing can be sent until someone fixes the settings. */
  | { readonly kind: "token"; readonly reason: string; readonly needed?: string }
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
      if (TOKEN_ERRORS.has(reason)) {
        const needed = field(field(error, "data"), "needed");
        return typeof needed === "string" && needed !== ""
          ? { kind: "token", reason, needed }
          : { kind: "token", reason };
      }
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

/**
 * A delivery pass stopped because Slack refused the bot token or the app lacks a scope. The message
 * names the setting to fix; it never contains the token.
 */
export class SlackTokenError extends Error {
  constructor(
    readonly reason: string,
    readonly method: string,
    readonly needed?: string,
  ) {
    super(
      reason === "missing_scope"
        ? `Slack refused ${method} (missing_scope): the app lacks the scope ${needed ?? "it needs"}. Add it under OAuth & Permissions → Scopes in your app's settings (manifest.yml lists every scope), reinstall the app, and put the new Bot User OAuth Token in SLACK_BOT_TOKEN.`
        : `Slack refused SLACK_BOT_TOKEN (${reason}) on ${method}. Copy the Bot User OAuth Token again from your app's OAuth & Permissions page into SLACK_BOT_TOKEN (reinstall the app if it was removed or its workspace deactivated).`,
    );
    this.name = "SlackTokenError";
  }
}
