import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { HTTPModuleFunctions, HTTPReceiver, type HTTPReceiverOptions, type Logger } from "@slack/bolt";

/** Slack's own rule for signed requests: more than five minutes apart from our clock is refused. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export interface GuardOptions {
  readonly endpoints?: readonly string[];
  readonly now?: () => number;
}

function reply(res: ServerResponse, status: number): void {
  if (res.headersSent || res.writableEnded) return;
  res.writeHead(status);
  res.end();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Why Bolt could not process this body, or undefined when it can: the fields Bolt reads before
 * any listener runs must have the types Slack always sends.
 */
export function shapeProblem(body: unknown): string | undefined {
  if (!isRecord(body))
    return `the body is ${body === null ? "null" : Array.isArray(body) ? "an array" : typeof body}, not an object`;
  if (body.ssl_check !== undefined || typeof body.command === "string") return undefined;
  const { type } = body;
  if (typeof type !== "string") return "the body has no type";
  const needsUser = () =>
    isRecord(body.user) && typeof body.user.id === "string" ? undefined : `a ${type} without user`;
  switch (type) {
    case "event_callback":
      return isRecord(body.event) && typeof body.event.type === "string"
        ? undefined
        : "an event_callback without event";
    case "block_actions":
      return Array.isArray(body.actions) && body.actions.every(isRecord)
        ? needsUser()
        : "block_actions without actions";
    case "view_submission":
    case "view_closed":
      return isRecord(body.view) ? needsUser() : `a ${type} without view`;
    default:
      return undefined;
  }
}

/**
 * What Bolt's HTTPReceiver leaves to chance, checked before it sees a request:
 * - a signed body that is not a JSON object (`null`, `payload=null`, a number, an array) would
 *   throw inside Bolt's request handling, outside any try, and end the process: answered 400;
 * - a timestamp more than five minutes in the future is refused like one five minutes old (Bolt
 *   only checks the past): 401;
 * - anything thrown while checking is answered 500 instead of escaping.
 * The signature is verified here with Bolt's own function; Bolt verifies it again afterwards.
 */
export function guardRequests(
  listener: RequestListener,
  receiver: { signingSecret: string; bodyLimit?: number; logger: Logger },
  options: GuardOptions = {},
): RequestListener {
  const endpoints = new Set(options.endpoints ?? ["/slack/events"]);
  const now = options.now ?? Date.now;
  const { logger } = receiver;

  async function check(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    let buffered: Awaited<ReturnType<typeof HTTPModuleFunctions.parseAndVerifyHTTPRequest>>;
    try {
      buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
        {
          enabled: true,
          signingSecret: receiver.signingSecret,
          ...(receiver.bodyLimit !== undefined ? { bodyLimit: receiver.bodyLimit } : {}),
        },
        req,
      );
    } catch (error) {
      if (
        HTTPModuleFunctions.isRawBodyError(error) &&
        (error.statusCode === 413 || error.type === "entity.too.large")
      ) {
        logger.warn("Refused a request whose body is over the size limit");
        reply(res, 413);
      } else {
        logger.warn(
          `Refused a request that failed verification: ${error instanceof Error ? error.message : String(error)}`,
        );
        reply(res, 401);
      }
      return false;
    }
    const timestamp = Number(req.headers["x-slack-request-timestamp"]);
    if (Number.isFinite(timestamp) && timestamp > Math.floor(now() / 1000) + MAX_CLOCK_SKEW_SECONDS) {
      logger.warn("Refused a signed request whose timestamp is more than five minutes in the future");
      reply(res, 401);
      return false;
    }
    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      logger.warn("Refused a signed request whose body cannot be parsed");
      reply(res, 400);
      return false;
    }
    const problem = shapeProblem(body);
    if (problem) {
      logger.warn(`Refused a signed request: ${problem}`);
      reply(res, 400);
      return false;
    }
    return true;
  }

  return (req, res) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (req.method !== "POST" || !endpoints.has(path)) {
      listener(req, res);
      return;
    }
    check(req, res).then(
      (ok) => {
        if (ok) listener(req, res);
      },
      (error: unknown) => {
        logger.error("Could not check an incoming request", error);
        reply(res, 500);
      },
    );
  };
}

/** Bolt's HTTPReceiver with `guardRequests` in front of its own request handling. */
export class GuardedHTTPReceiver extends HTTPReceiver {
  constructor(
    options: HTTPReceiverOptions & { signingSecret: string; logger: Logger },
    guard: GuardOptions = {},
  ) {
    super(options);
    const self = this as unknown as { requestListener: RequestListener; bodyLimit?: number };
    self.requestListener = guardRequests(
      self.requestListener,
      {
        signingSecret: options.signingSecret,
        logger: options.logger,
        ...(self.bodyLimit !== undefined ? { bodyLimit: self.bodyLimit } : {}),
      },
      guard,
    );
  }
}
