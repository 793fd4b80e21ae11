import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerOptions, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import {
  type App,
  type BufferedIncomingMessage,
  HTTPModuleFunctions,
  HTTPReceiver,
  type HTTPReceiverOptions,
  HTTPResponseAck,
  type Logger,
  type ReceiverEvent,
  type ReceiverProcessEventErrorHandlerArgs,
  type StringIndexed,
} from "@slack/bolt";

/** Slack's own rule for signed requests: more than five minutes apart from our clock is refused. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

/**
 * The largest body taken from Slack (Bolt's default is 4 MB). Slack's largest request to this app is
 * a message event: 40,000 characters of text at most (160 KB even in a 4-byte script), the same again
 * in its rich-text blocks, and the envelope. Clicks and submissions carry this app's own small views.
 */
export const SLACK_BODY_LIMIT = 512 * 1024;

/**
 * Slack sends a whole request at once and gives up on an answer after 3 seconds: a request still
 * arriving after 10 (or headers after 5) is someone holding a connection open, not Slack.
 */
export const REQUEST_TIMEOUT_MS = 10_000;
export const HEADERS_TIMEOUT_MS = 5_000;

/**
 * Slack's `ssl_check` is the one request it sends unsigned (form-encoded `ssl_check=1&token=…`, a
 * few dozen bytes); an unsigned form body is read up to this much, in case it is one.
 */
export const SSL_CHECK_BODY_LIMIT = 1024;

export interface GuardOptions {
  readonly endpoints?: readonly string[];
  readonly now?: () => number;
}

/** Answers with no body; a refusal before the body was read also closes the connection, unread. */
function reply(res: ServerResponse, status: number, close = false): void {
  if (res.headersSent || res.writableEnded) return;
  res.writeHead(status, close ? { connection: "close" } : {});
  res.end();
}

/**
 * Every way a request path can name the same place: Bolt's (WHATWG URL: dot segments resolved, `//x`
 * read as a host) and the plain reading (percent-encoding decoded, repeated and trailing slashes
 * folded, dot segments resolved). The guard applies when any of them is an events endpoint, so no
 * spelling of `/slack/events` reaches Bolt unchecked. Null when the path cannot be decoded.
 */
export function pathReadings(url: string): string[] | null {
  const raw = url.split(/[?#]/)[0] ?? "";
  let bolt: string;
  let decoded: string;
  try {
    bolt = new URL(url, "http://localhost").pathname;
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  const folded = `/${decoded}`.replace(/\\/g, "/").replace(/\/{2,}/g, "/");
  const resolved = new URL(`http://localhost${folded}`).pathname.replace(/(.)\/+$/, "$1");
  return [raw, bolt, resolved];
}

/** No signature headers at all and a form body: possibly Slack's unsigned `ssl_check`. */
function maybeSslCheck(req: IncomingMessage): boolean {
  return (
    req.headers["x-slack-signature"] === undefined &&
    req.headers["x-slack-request-timestamp"] === undefined &&
    req.headers["content-type"] === "application/x-www-form-urlencoded" &&
    Number(req.headers["content-length"] ?? 0) <= SSL_CHECK_BODY_LIMIT
  );
}

/**
 * Why the signature headers alone already refuse this request, or undefined: read before the body,
 * so a request without them costs no memory. Bolt checks them again, with the body.
 */
export function headerProblem(req: IncomingMessage, nowMs: number, bodyLimit: number): string | undefined {
  const signature = req.headers["x-slack-signature"];
  const timestamp = req.headers["x-slack-request-timestamp"];
  if (typeof signature !== "string" || !/^v0=[0-9a-f]{64}$/.test(signature))
    return "it has no valid x-slack-signature header";
  if (typeof timestamp !== "string" || !/^\d{1,12}$/.test(timestamp))
    return "it has no valid x-slack-request-timestamp header";
  const skew = Number(timestamp) - Math.floor(nowMs / 1000);
  if (skew < -MAX_CLOCK_SKEW_SECONDS) return "its timestamp is more than five minutes old";
  if (skew > MAX_CLOCK_SKEW_SECONDS) return "its timestamp is more than five minutes in the future";
  if (Number(req.headers["content-length"] ?? 0) > bodyLimit) return "too large";
  return undefined;
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

/** A request that passed the guard: its buffered body (signature checked) and the body parsed once. */
export interface VerifiedRequest {
  readonly req: BufferedIncomingMessage;
  readonly res: ServerResponse;
  readonly body: Record<string, unknown>;
}

/**
 * What Bolt's HTTPReceiver leaves to chance, checked before it sees a request to an events endpoint
 * by any spelling of its path (`/slack/./events`, `//slack/events`, `/slack/%65vents`):
 * - missing or malformed signature headers, a timestamp more than five minutes off either way
 *   (Bolt only checks the past), or a declared length over the limit are refused (401, 413) before
 *   a byte of the body is read — Bolt buffers up to 4 MB first;
 * - a signed body that is not a JSON object (`null`, `payload=null`, a number, an array) would
 *   throw inside Bolt's request handling, outside any try, and end the process: answered 400;
 * - anything thrown while checking is answered 500 instead of escaping.
 * The signature is verified here (`signatureMatches`) and the body parsed once, by Bolt's own
 * parser; `dispatch` gets both, so nothing verifies or parses the body a second time. Slack's
 * `ssl_check` and `url_verification` are answered here.
 */
export function guardRequests(
  listener: RequestListener,
  receiver: { signingSecret: string; bodyLimit?: number; logger: Logger },
  dispatch: (verified: VerifiedRequest) => void,
  options: GuardOptions = {},
): RequestListener {
  const endpoints = new Set(options.endpoints ?? ["/slack/events"]);
  const now = options.now ?? Date.now;
  const { logger } = receiver;
  const bodyLimit = receiver.bodyLimit ?? SLACK_BODY_LIMIT;

  async function check(req: IncomingMessage, res: ServerResponse): Promise<VerifiedRequest | undefined> {
    const sslCheck = maybeSslCheck(req);
    const early = sslCheck ? undefined : headerProblem(req, now(), bodyLimit);
    if (early) {
      logger.warn(`Refused a request before reading its body: ${early}`);
      reply(res, early === "too large" ? 413 : 401, true);
      return undefined;
    }
    let buffered: BufferedIncomingMessage;
    try {
      buffered = await HTTPModuleFunctions.bufferIncomingMessage(
        req,
        sslCheck ? SSL_CHECK_BODY_LIMIT : bodyLimit,
      );
    } catch (error) {
      // An unsigned body longer than an ssl_check is not one: refused as unsigned.
      if (
        !sslCheck &&
        HTTPModuleFunctions.isRawBodyError(error) &&
        (error.statusCode === 413 || error.type === "entity.too.large")
      ) {
        logger.warn("Refused a request whose body is over the size limit");
        reply(res, 413);
      } else {
        logger.warn(`Refused a request whose body could not be read: ${messageOf(error)}`);
        reply(res, 401);
      }
      return undefined;
    }
    if (sslCheck) {
      if (parseForm(buffered.rawBody.toString()).ssl_check === "1") reply(res, 200);
      else {
        logger.warn("Refused an unsigned request that is not Slack's ssl_check");
        reply(res, 401);
      }
      return undefined;
    }
    if (!signatureMatches(req, buffered.rawBody, receiver.signingSecret)) {
      logger.warn("Refused a request that failed verification: signature mismatch");
      reply(res, 401);
      return undefined;
    }
    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      logger.warn("Refused a signed request whose body cannot be parsed");
      reply(res, 400);
      return undefined;
    }
    const problem = shapeProblem(body);
    if (problem) {
      logger.warn(`Refused a signed request: ${problem}`);
      reply(res, 400);
      return undefined;
    }
    const verified = body as Record<string, unknown>;
    if (verified.ssl_check === "1") {
      reply(res, 200);
      return undefined;
    }
    if (verified.type === "url_verification") {
      HTTPModuleFunctions.buildUrlVerificationResponse(res, verified);
      return undefined;
    }
    return { req: buffered, res, body: verified };
  }

  return (req, res) => {
    if (req.method !== "POST") {
      listener(req, res);
      return;
    }
    const readings = pathReadings(req.url ?? "/");
    if (readings === null) {
      logger.warn("Refused a request whose path cannot be decoded");
      reply(res, 400, true);
      return;
    }
    if (!readings.some((path) => endpoints.has(path))) {
      listener(req, res);
      return;
    }
    check(req, res).then(
      (verified) => {
        if (verified) dispatch(verified);
      },
      (error: unknown) => {
        logger.error("Could not check an incoming request", error);
        reply(res, 500);
      },
    );
  };
}

/**
 * Slack's signature: `v0=` and the hex HMAC-SHA256 of `v0:{timestamp}:{body}` under the signing
 * secret. `headerProblem` already checked both headers' form and the timestamp's age; the digests
 * are compared in constant time (Bolt's own check draws random bytes for every comparison).
 */
export function signatureMatches(req: IncomingMessage, rawBody: Buffer, signingSecret: string): boolean {
  if (signingSecret === "") return false;
  const signature = String(req.headers["x-slack-signature"]);
  const timestamp = String(req.headers["x-slack-request-timestamp"]);
  const expected = createHmac("sha256", signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest();
  const given = Buffer.from(signature.slice(3), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function parseForm(text: string): Record<string, unknown> {
  return parseQuery(text) as Record<string, unknown>;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The parts of Bolt's HTTPReceiver that its own event handling reads (private in its types). */
interface BoltReceiverInternals {
  requestListener: RequestListener;
  bodyLimit?: number;
  app?: App;
  logger: Logger;
  processBeforeResponse: boolean;
  unhandledRequestHandler: AckArgs["unhandledRequestHandler"];
  unhandledRequestTimeoutMillis: number;
  customPropertiesExtractor: (req: BufferedIncomingMessage) => StringIndexed;
  processEventErrorHandler: (args: ReceiverProcessEventErrorHandlerArgs) => Promise<boolean>;
}

type AckArgs = ConstructorParameters<typeof HTTPResponseAck>[0];

/**
 * Bolt's HTTPReceiver with `guardRequests` in front of its own request handling, Slack's body limit
 * and short request timeouts. A request the guard let through goes straight to the app, as Bolt's
 * receiver would send it (same ack, same error handling), without being read and verified again.
 */
export class GuardedHTTPReceiver extends HTTPReceiver {
  constructor(
    options: HTTPReceiverOptions & { signingSecret: string; logger: Logger },
    guard: GuardOptions = {},
  ) {
    super({ bodyLimit: SLACK_BODY_LIMIT, ...options });
    const self = this as unknown as BoltReceiverInternals;
    self.requestListener = guardRequests(
      self.requestListener,
      {
        signingSecret: options.signingSecret,
        logger: options.logger,
        ...(self.bodyLimit !== undefined ? { bodyLimit: self.bodyLimit } : {}),
      },
      (verified) => {
        dispatchVerified(self, verified).catch((error: unknown) => {
          self.logger.error("Could not hand a request to the app", error);
          reply(verified.res, 500);
        });
      },
      guard,
    );
  }

  /** Bolt's start, with SERVER_TIMEOUTS under any server options given. */
  override start(...args: Parameters<HTTPReceiver["start"]>): ReturnType<HTTPReceiver["start"]> {
    const [listen, serverOptions] = args;
    // Typed by the last overload (HTTPS); the options are spread over, never narrowed.
    return super.start(listen, {
      ...SERVER_TIMEOUTS,
      ...serverOptions,
    } as typeof serverOptions) as ReturnType<HTTPReceiver["start"]>;
  }
}

/** The end of Bolt's `HTTPReceiver.handleIncomingEvent`, from the parsed body on. */
async function dispatchVerified(
  self: BoltReceiverInternals,
  { req, res, body }: VerifiedRequest,
): Promise<void> {
  const ack = new HTTPResponseAck({
    logger: self.logger,
    processBeforeResponse: self.processBeforeResponse,
    unhandledRequestHandler: self.unhandledRequestHandler,
    unhandledRequestTimeoutMillis: self.unhandledRequestTimeoutMillis,
    httpRequest: req,
    httpRequestBody: body,
    httpResponse: res,
  });
  const event: ReceiverEvent = {
    body,
    ack: ack.bind(),
    retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
    retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
    customProperties: self.customPropertiesExtractor(req),
  };
  try {
    await self.app?.processEvent(event);
    if (ack.storedResponse !== undefined) HTTPModuleFunctions.buildContentResponse(res, ack.storedResponse);
  } catch (error) {
    const acknowledged = await self.processEventErrorHandler({
      error: error as Error,
      logger: self.logger,
      request: req,
      response: res,
      storedResponse: ack.storedResponse,
    });
    if (acknowledged) ack.ack();
  }
}

/** The server options `start` adds: a request must arrive within Slack's kind of time. */
export const SERVER_TIMEOUTS: ServerOptions = {
  requestTimeout: REQUEST_TIMEOUT_MS,
  headersTimeout: HEADERS_TIMEOUT_MS,
  // How often Node looks for requests past those times (default 30 s, which would triple them).
  connectionsCheckingInterval: 1_000,
};
