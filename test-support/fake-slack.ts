import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { clearTimeout as realClearTimeout, setTimeout as realSetTimeout } from "node:timers";
import { setTimeout as sleep } from "node:timers/promises";
import { validateBlocks, validateView } from "./block-kit.js";
import { FakeAssistantThreads, type MessagingExperience } from "./fake-assistant.js";
import { FakeOAuth } from "./fake-oauth.js";
import {
  BOT_ID,
  BOT_NAME,
  BOT_USER_ID,
  nextTs,
  TEST_APP_ID,
  TEST_TEAM_DOMAIN,
  TEST_TEAM_ID,
  uniqueId,
} from "./ids.js";

export { validateBlocks } from "./block-kit.js";

/** Decoded arguments of a Web API call: form fields stay strings, JSON-holding fields are parsed. */
export type ApiArgs = Record<string, unknown>;

export interface RecordedCall {
  method: string;
  args: ApiArgs;
  /** Bearer token (or form `token` field); never included in `args`. */
  token: string | undefined;
  at: number;
  /** HTTP status the fake answered with. */
  status: number;
  /** Slack error code when the answer was `ok: false` (or the plain body of a non-200 answer). */
  error: string | undefined;
}

export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FailureSpec {
  error?: string;
  /** HTTP status, default 200. 429 answers `ratelimited` with `Retry-After`; other non-200 answer plain text. */
  status?: number;
  /** Seconds for the `Retry-After` header of a 429, default 1. */
  retryAfter?: number;
}

export interface FailNextSpec extends FailureSpec {
  times?: number;
}

export type FailurePredicate = (args: ApiArgs) => FailureSpec | undefined;

export interface ApiResult {
  ok: boolean;
  error?: string;
  [key: string]: unknown;
}

export type MethodHandler = (args: ApiArgs, token: string) => ApiResult;

export interface RateLimitOptions {
  /** Separate windows per key, e.g. `(args) => String(args.channel)` for Slack's per-channel limit. */
  key?: (args: ApiArgs) => string;
}

export interface RateLimitStats {
  perSecond: number;
  accepted: number;
  rejected: number;
}

export interface FakeUser {
  tz: string;
  deleted: boolean;
  is_bot: boolean;
  name: string;
  real_name: string;
  display_name: string;
}

export interface FakeChannel {
  name: string;
  is_member: boolean;
  is_archived: boolean;
  is_private: boolean;
  is_im: boolean;
}

export type SlackMessage = Record<string, unknown>;

export interface ResponseFailureSpec {
  status?: number;
  body?: string;
  times?: number;
}

export interface FakeSlackOptions {
  latencyMs?: number;
  /** When set, any other token gets `invalid_auth`. */
  tokens?: readonly string[];
  /** Clock for rate-limit windows and scheduling checks (ms since epoch). */
  now?: () => number;
}

export interface FakeSlack {
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  /** `http://127.0.0.1:PORT/api/`, for `clientOptions.slackApiUrl` / `SLACK_API_URL`. */
  readonly apiUrl: string;
  readonly calls: readonly RecordedCall[];
  readonly responses: readonly RecordedResponse[];
  /** Slack's OAuth side: `issueCode` for an install, the tokens issued and whose they are. */
  readonly oauth: FakeOAuth;
  callsTo(method: string): RecordedCall[];
  waitForCall(
    method: string,
    predicate?: (call: RecordedCall) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedCall>;
  responseUrl(id?: string): string;
  waitForResponse(
    predicate?: (response: RecordedResponse) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedResponse>;
  setThread(channel: string, threadTs: string, messages: readonly SlackMessage[]): void;
  /** Current messages of a thread, including replies the app posted into it. */
  thread(channel: string, threadTs: string): SlackMessage[] | undefined;
  /** The assistant status shown in a thread now (cleared by `""` or by the app's reply there). */
  assistantStatus(channel: string, threadTs: string): string | undefined;
  assistantTitle(channel: string, threadTs: string): string | undefined;
  /** The app's AI experience (default `assistant_view`; `reset` restores it). */
  setMessagingExperience(experience: MessagingExperience): void;
  /** The suggested prompts pinned to a DM's Messages tab (agent_view), if any. */
  messagesTabPrompts(channel: string): { title?: string; prompts: unknown[] } | undefined;
  setUser(id: string, user: Partial<FakeUser>): void;
  setChannel(id: string, channel: Partial<FakeChannel>): void;
  /** Replace the default answer of a method; returns an undo function. */
  handle(method: string, handler: MethodHandler): () => void;
  /** `method` may be `"*"` to hit every method. */
  failNext(method: string, spec?: FailNextSpec): void;
  failAlways(method: string, spec?: FailureSpec): () => void;
  failFor(method: string, predicate: FailurePredicate): () => void;
  failNextResponse(spec?: ResponseFailureSpec): void;
  rateLimit(method: string, perSecond: number, options?: RateLimitOptions): () => void;
  rateLimitStats(method: string): RateLimitStats;
  setLatency(ms: number): void;
  reset(): void;
  close(): Promise<void>;
}

const JSON_FIELDS = ["blocks", "attachments", "view", "metadata", "prompts", "loading_messages"] as const;
const MAX_TEXT = 40_000;
const DEFAULT_TZ = "America/New_York";

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
  error: string | undefined;
}

interface Waiter<T> {
  match: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
  promise: Promise<T>;
  timer: ReturnType<typeof realSetTimeout>;
}

function safeMatch<T>(match: (item: T) => boolean, item: T): boolean {
  try {
    return match(item);
  } catch {
    // A predicate written for one payload shape may throw on another; that is simply "no match".
    return false;
  }
}

class Recorder<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();

  push(item: T): void {
    this.items.push(item);
    for (const waiter of this.waiters) {
      if (safeMatch(waiter.match, item)) {
        this.waiters.delete(waiter);
        realClearTimeout(waiter.timer);
        waiter.resolve(item);
      }
    }
  }

  wait(match: (item: T) => boolean, timeoutMs: number, describeTimeout: () => string): Promise<T> {
    const found = this.items.find((item) => safeMatch(match, item));
    if (found !== undefined) return Promise.resolve(found);
    let resolve!: (item: T) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Real timers so waits keep working while a test uses vi.useFakeTimers().
    const waiter: Waiter<T> = {
      match,
      resolve,
      reject,
      promise,
      timer: realSetTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(describeTimeout()));
      }, timeoutMs),
    };
    this.waiters.add(waiter);
    return promise;
  }

  clear(reason: string): void {
    this.items.length = 0;
    for (const waiter of this.waiters) {
      realClearTimeout(waiter.timer);
      // Marked handled: a waiter abandoned by a finished test must not become an unhandled rejection.
      waiter.promise.catch(() => undefined);
      waiter.reject(new Error(reason));
    }
    this.waiters.clear();
  }
}

interface RateLimitState {
  perSecond: number;
  key: ((args: ApiArgs) => string) | undefined;
  windows: Map<string, { second: number; count: number }>;
  accepted: number;
  rejected: number;
}

interface FailNextEntry {
  spec: FailureSpec;
  remaining: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(args: ApiArgs, key: string): string | undefined {
  const value = args[key];
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function ok(fields: Record<string, unknown> = {}): ApiResult {
  return { ok: true, ...fields };
}

function fail(error: string, fields: Record<string, unknown> = {}): ApiResult {
  return { ok: false, error, ...fields };
}

function invalid(error: string, problems: readonly string[]): ApiResult {
  return fail(error, {
    errors: problems,
    response_metadata: { messages: problems.map((problem) => `[ERROR] ${problem}`) },
  });
}

function jsonReply(status: number, result: ApiResult, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(result),
    error: result.ok ? undefined : result.error,
  };
}

function failureReply(spec: FailureSpec): Reply {
  const status = spec.status ?? 200;
  if (status === 429) {
    return jsonReply(429, fail("ratelimited"), { "retry-after": String(spec.retryAfter ?? 1) });
  }
  if (status === 200) return jsonReply(200, fail(spec.error ?? "internal_error"));
  const text = spec.error ?? "Internal Server Error";
  return { status, headers: { "content-type": "text/plain; charset=utf-8" }, body: text, error: text };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function describeCall(call: RecordedCall): string {
  const outcome = call.error === undefined ? "" : ` -> ${call.status} ${call.error}`;
  return `${call.method} ${truncate(JSON.stringify(call.args), 240)}${outcome}`;
}

function tzOffsetSeconds(tz: string, at: Date): number {
  try {
    const name =
      new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" })
        .formatToParts(at)
        .find((part) => part.type === "timeZoneName")?.value ?? "GMT";
    const match = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
    if (!match?.[1]) return 0;
    const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
    return match[1] === "-" ? -seconds : seconds;
  } catch {
    // Tests may set a bogus tz on purpose; Slack itself always sends a valid one.
    return 0;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

class BadRequest extends Error {}

async function decodeArgs(req: IncomingMessage, raw: Buffer, url: URL): Promise<ApiArgs> {
  const contentType = req.headers["content-type"] ?? "";
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  const args: ApiArgs = Object.fromEntries(url.searchParams);
  const text = raw.toString("utf8");
  if (mediaType === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new BadRequest("invalid_json");
    }
    if (!isRecord(parsed)) throw new BadRequest("invalid_json");
    Object.assign(args, parsed);
  } else if (mediaType === "multipart/form-data") {
    const form = await new Request(url, {
      method: "POST",
      headers: { "content-type": contentType },
      body: raw,
    }).formData();
    for (const [key, value] of form) {
      args[key] =
        typeof value === "string" ? value : { name: value.name, size: value.size, type: value.type };
    }
  } else if (text !== "") {
    Object.assign(args, Object.fromEntries(new URLSearchParams(text)));
  }
  for (const field of JSON_FIELDS) {
    const value = args[field];
    if (typeof value === "string" && value !== "") {
      try {
        args[field] = JSON.parse(value);
      } catch {
        // Left as the raw string so the method handler can reject it the way Slack does.
      }
    }
  }
  return args;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function defaultUser(id: string): FakeUser {
  const isBot = id === BOT_USER_ID;
  const name = isBot ? BOT_NAME : `user-${id.toLowerCase()}`;
  return { tz: DEFAULT_TZ, deleted: false, is_bot: isBot, name, real_name: name, display_name: name };
}

function defaultChannel(id: string): FakeChannel {
  const isIm = id.startsWith("D");
  return {
    name: isIm ? "" : `channel-${id.toLowerCase()}`,
    is_member: true,
    is_archived: false,
    is_private: id.startsWith("G"),
    is_im: isIm,
  };
}

class FakeSlackServer implements FakeSlack {
  baseUrl = "";
  apiUrl = "";
  private readonly server: Server;
  private readonly now: () => number;
  private readonly tokens: ReadonlySet<string> | undefined;
  private readonly callLog = new Recorder<RecordedCall>();
  private readonly responseLog = new Recorder<RecordedResponse>();
  private latencyMs: number;
  private closed = false;
  private responseCounter = 0;

  private threads = new Map<string, SlackMessage[]>();
  private users = new Map<string, Partial<FakeUser>>();
  private channels = new Map<string, Partial<FakeChannel>>();
  private handlers = new Map<string, MethodHandler>();
  private failNextQueue = new Map<string, FailNextEntry[]>();
  private failAlwaysSpecs = new Map<string, FailureSpec>();
  private failPredicates = new Map<string, FailurePredicate[]>();
  private responseFailures: Array<{ status: number; body: string; remaining: number }> = [];
  private rateLimits = new Map<string, RateLimitState>();
  private readonly assistant = new FakeAssistantThreads();
  readonly oauth: FakeOAuth;

  constructor(private readonly options: FakeSlackOptions) {
    this.now = options.now ?? Date.now;
    this.oauth = new FakeOAuth(this.now);
    this.tokens = options.tokens === undefined ? undefined : new Set(options.tokens);
    this.latencyMs = options.latencyMs ?? 0;
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
          res.end(`fake slack failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
    });
  }

  get calls(): readonly RecordedCall[] {
    return this.callLog.items;
  }

  get responses(): readonly RecordedResponse[] {
    return this.responseLog.items;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
  }

  callsTo(method: string): RecordedCall[] {
    return this.callLog.items.filter((call) => call.method === method);
  }

  waitForCall(
    method: string,
    predicate?: (call: RecordedCall) => boolean,
    timeoutMs = 5000,
  ): Promise<RecordedCall> {
    return this.callLog.wait(
      (call) => call.method === method && (predicate === undefined || predicate(call)),
      timeoutMs,
      () => {
        const seen = this.callLog.items;
        const listed = seen.slice(-30).map((call) => `  - ${describeCall(call)}`);
        const more = seen.length > 30 ? [`  … and ${seen.length - 30} earlier`] : [];
        return [
          `waitForCall("${method}"${predicate ? ", predicate" : ""}) timed out after ${timeoutMs}ms; ${seen.length} call(s) seen:`,
          ...more,
          ...listed,
        ].join("\n");
      },
    );
  }

  responseUrl(id?: string): string {
    this.responseCounter += 1;
    return `${this.baseUrl}/response/${encodeURIComponent(id ?? `R${this.responseCounter}`)}`;
  }

  waitForResponse(
    predicate?: (response: RecordedResponse) => boolean,
    timeoutMs = 5000,
  ): Promise<RecordedResponse> {
    return this.responseLog.wait(
      (response) => predicate === undefined || predicate(response),
      timeoutMs,
      () => {
        const seen = this.responseLog.items.map(
          (response) => `  - ${response.id} ${truncate(JSON.stringify(response.body), 240)}`,
        );
        return [
          `waitForResponse(${predicate ? "predicate" : ""}) timed out after ${timeoutMs}ms; ${seen.length} response_url post(s) seen:`,
          ...seen,
        ].join("\n");
      },
    );
  }

  setThread(channel: string, threadTs: string, messages: readonly SlackMessage[]): void {
    this.threads.set(
      threadKey(channel, threadTs),
      messages.map((message) => ({ ...message })),
    );
  }

  assistantStatus(channel: string, threadTs: string): string | undefined {
    return this.assistant.status(channel, threadTs);
  }

  assistantTitle(channel: string, threadTs: string): string | undefined {
    return this.assistant.title(channel, threadTs);
  }

  setMessagingExperience(experience: MessagingExperience): void {
    this.assistant.experience = experience;
  }

  messagesTabPrompts(channel: string): { title?: string; prompts: unknown[] } | undefined {
    return this.assistant.messagesTabPrompts(channel);
  }

  thread(channel: string, threadTs: string): SlackMessage[] | undefined {
    return this.threads.get(threadKey(channel, threadTs));
  }

  setUser(id: string, user: Partial<FakeUser>): void {
    this.users.set(id, { ...this.users.get(id), ...user });
  }

  setChannel(id: string, channel: Partial<FakeChannel>): void {
    this.channels.set(id, { ...this.channels.get(id), ...channel });
  }

  handle(method: string, handler: MethodHandler): () => void {
    this.handlers.set(method, handler);
    return () => {
      if (this.handlers.get(method) === handler) this.handlers.delete(method);
    };
  }

  failNext(method: string, spec: FailNextSpec = {}): void {
    const { times = 1, ...failure } = spec;
    const queue = this.failNextQueue.get(method) ?? [];
    queue.push({ spec: failure, remaining: times });
    this.failNextQueue.set(method, queue);
  }

  failAlways(method: string, spec: FailureSpec = {}): () => void {
    this.failAlwaysSpecs.set(method, spec);
    return () => {
      if (this.failAlwaysSpecs.get(method) === spec) this.failAlwaysSpecs.delete(method);
    };
  }

  failFor(method: string, predicate: FailurePredicate): () => void {
    const list = this.failPredicates.get(method) ?? [];
    list.push(predicate);
    this.failPredicates.set(method, list);
    return () => {
      const current = this.failPredicates.get(method);
      if (current) {
        this.failPredicates.set(
          method,
          current.filter((p) => p !== predicate),
        );
      }
    };
  }

  failNextResponse(spec: ResponseFailureSpec = {}): void {
    this.responseFailures.push({
      status: spec.status ?? 404,
      body: spec.body ?? "expired_url",
      remaining: spec.times ?? 1,
    });
  }

  rateLimit(method: string, perSecond: number, options: RateLimitOptions = {}): () => void {
    if (!Number.isInteger(perSecond) || perSecond < 0) {
      throw new RangeError(`rateLimit perSecond must be a non-negative integer, got ${perSecond}`);
    }
    const state: RateLimitState = {
      perSecond,
      key: options.key,
      windows: new Map(),
      accepted: 0,
      rejected: 0,
    };
    this.rateLimits.set(method, state);
    return () => {
      if (this.rateLimits.get(method) === state) this.rateLimits.delete(method);
    };
  }

  rateLimitStats(method: string): RateLimitStats {
    const state = this.rateLimits.get(method);
    if (!state) return { perSecond: Number.POSITIVE_INFINITY, accepted: 0, rejected: 0 };
    return { perSecond: state.perSecond, accepted: state.accepted, rejected: state.rejected };
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  reset(): void {
    this.callLog.clear("fake Slack was reset while waiting for a call");
    this.responseLog.clear("fake Slack was reset while waiting for a response");
    this.threads = new Map();
    this.users = new Map();
    this.channels = new Map();
    this.handlers = new Map();
    this.failNextQueue = new Map();
    this.failAlwaysSpecs = new Map();
    this.failPredicates = new Map();
    this.responseFailures = [];
    this.rateLimits = new Map();
    this.assistant.reset();
    this.latencyMs = this.options.latencyMs ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.callLog.clear("fake Slack was closed while waiting for a call");
    this.responseLog.clear("fake Slack was closed while waiting for a response");
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.baseUrl);
    const raw = await readBody(req);
    let reply: Reply;
    if (url.pathname.startsWith("/api/")) {
      reply = await this.onApiCall(decodeURIComponent(url.pathname.slice("/api/".length)), req, raw, url);
    } else if (url.pathname.startsWith("/response/") && req.method === "POST") {
      reply = this.onResponsePost(decodeURIComponent(url.pathname.slice("/response/".length)), raw);
    } else {
      reply = {
        status: 404,
        headers: { "content-type": "text/plain" },
        body: "not found",
        error: "not found",
      };
    }
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  }

  private async onApiCall(method: string, req: IncomingMessage, raw: Buffer, url: URL): Promise<Reply> {
    let args: ApiArgs;
    let reply: Reply | undefined;
    try {
      args = await decodeArgs(req, raw, url);
    } catch (error) {
      args = {};
      reply = jsonReply(200, fail(error instanceof BadRequest ? error.message : "invalid_form_data"));
    }
    const isJson = (req.headers["content-type"] ?? "").toLowerCase().startsWith("application/json");
    const bodyToken = !isJson && typeof args.token === "string" && args.token !== "" ? args.token : undefined;
    // Tokens are kept out of args so nothing that prints calls can leak them.
    delete args.token;
    const token = bearerToken(req) ?? bodyToken;
    reply ??=
      method === "oauth.v2.access"
        ? jsonReply(200, this.oauth.access(args))
        : this.decide(method, args, token);
    // Like tokens, the client secret and the codes never show in recorded calls.
    for (const secret of ["client_secret", "code", "refresh_token"])
      if (secret in args) args[secret] = "[kept out]";
    this.callLog.push({
      method,
      args,
      token,
      at: this.now(),
      status: reply.status,
      error: reply.error,
    });
    return reply;
  }

  private decide(method: string, args: ApiArgs, token: string | undefined): Reply {
    if (token === undefined) return jsonReply(200, fail("not_authed"));
    if (this.oauth.issued(token) && !this.oauth.whoseToken(token))
      return jsonReply(200, fail("token_revoked"));
    if (this.tokens !== undefined && !this.tokens.has(token)) return jsonReply(200, fail("invalid_auth"));
    const injected = this.injectedFailure(method, args);
    if (injected !== undefined) return failureReply(injected);
    if (this.overRateLimit(method, args)) {
      return jsonReply(429, fail("ratelimited"), { "retry-after": "1" });
    }
    const handler = this.handlers.get(method) ?? this.defaultHandler(method);
    if (handler === undefined) return jsonReply(200, fail("unknown_method"));
    let result: ApiResult;
    try {
      result = handler(args, token);
    } catch (error) {
      const text = `fake handler for ${method} threw: ${error instanceof Error ? error.message : String(error)}`;
      return {
        status: 500,
        headers: { "content-type": "text/plain; charset=utf-8" },
        body: text,
        error: text,
      };
    }
    return jsonReply(200, result);
  }

  private injectedFailure(method: string, args: ApiArgs): FailureSpec | undefined {
    for (const key of [method, "*"]) {
      const queue = this.failNextQueue.get(key);
      const head = queue?.[0];
      if (queue && head) {
        head.remaining -= 1;
        if (head.remaining <= 0) queue.shift();
        return head.spec;
      }
    }
    for (const key of [method, "*"]) {
      const always = this.failAlwaysSpecs.get(key);
      if (always) return always;
    }
    for (const key of [method, "*"]) {
      for (const predicate of this.failPredicates.get(key) ?? []) {
        const spec = predicate(args);
        if (spec) return spec;
      }
    }
    return undefined;
  }

  private overRateLimit(method: string, args: ApiArgs): boolean {
    const state = this.rateLimits.get(method);
    if (!state) return false;
    const second = Math.floor(this.now() / 1000);
    const key = state.key ? state.key(args) : "";
    let window = state.windows.get(key);
    if (!window || window.second !== second) {
      window = { second, count: 0 };
      state.windows.set(key, window);
    }
    if (window.count >= state.perSecond) {
      state.rejected += 1;
      return true;
    }
    window.count += 1;
    state.accepted += 1;
    return false;
  }

  private onResponsePost(id: string, raw: Buffer): Reply {
    const failure = this.responseFailures[0];
    if (failure) {
      failure.remaining -= 1;
      if (failure.remaining <= 0) this.responseFailures.shift();
      return {
        status: failure.status,
        headers: { "content-type": "text/plain" },
        body: failure.body,
        error: failure.body,
      };
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      body = undefined;
    }
    if (!isRecord(body)) {
      return {
        status: 400,
        headers: { "content-type": "text/plain" },
        body: "invalid_payload",
        error: "invalid_payload",
      };
    }
    // Slack refuses a response_url post whose blocks break Block Kit's limits.
    if (body.blocks !== undefined && validateBlocks(body.blocks, 50).length > 0) {
      return {
        status: 400,
        headers: { "content-type": "text/plain" },
        body: "invalid_blocks",
        error: "invalid_blocks",
      };
    }
    this.responseLog.push({ id, body, at: this.now() });
    return jsonReply(200, ok());
  }

  private defaultHandler(method: string): MethodHandler | undefined {
    switch (method) {
      case "auth.test":
        return (_args, token) =>
          this.oauth.authTest(token) ??
          ok({
            url: `https://${TEST_TEAM_DOMAIN}.slack.com/`,
            team: "Test Team",
            user: BOT_NAME,
            team_id: TEST_TEAM_ID,
            user_id: BOT_USER_ID,
            bot_id: BOT_ID,
            is_enterprise_install: false,
          });
      case "chat.postMessage":
        return (args) => this.postMessage(args);
      case "chat.postEphemeral":
        return (args) => {
          const channel = this.resolveChannel(str(args, "channel"));
          if (channel === undefined) return fail("channel_not_found");
          if (str(args, "user") === undefined) return fail("user_not_found");
          const content = this.messageContent(args);
          if (!content.ok) return content;
          return ok({ message_ts: nextTs() });
        };
      case "chat.update":
        return (args) => this.updateMessage(args);
      case "conversations.replies":
        return (args) => this.replies(args);
      case "conversations.history":
        return (args) => this.history(args);
      case "conversations.info":
        return (args) => {
          const id = str(args, "channel");
          if (id === undefined) return fail("channel_not_found");
          const channel = { ...defaultChannel(id), ...this.channels.get(id) };
          return ok({
            channel: {
              id,
              name: channel.name,
              is_channel: !channel.is_im && !channel.is_private,
              is_group: channel.is_private,
              is_im: channel.is_im,
              is_private: channel.is_private,
              is_member: channel.is_member,
              is_archived: channel.is_archived,
              ...(channel.is_im ? { user: id.slice(1) } : {}),
            },
          });
        };
      case "conversations.open":
        return (args) => {
          const existing = str(args, "channel");
          if (existing !== undefined) return ok({ channel: { id: existing } });
          const users = (str(args, "users") ?? "").split(",").filter((user) => user !== "");
          const first = users[0];
          if (first === undefined) return fail("users_list_not_supplied");
          const id = users.length === 1 ? `D${first}` : `G${users.join("").slice(0, 12)}`;
          return ok({ channel: { id } });
        };
      case "users.info":
        return (args) => this.userInfo(args);
      case "views.publish":
        return (args) => {
          if (str(args, "user_id") === undefined) return fail("invalid_arguments");
          return this.viewResult(args, "home", uniqueId("V"));
        };
      case "views.open":
        return (args) => {
          if (str(args, "trigger_id") === undefined) return fail("invalid_arguments");
          return this.viewResult(args, "modal", uniqueId("V"));
        };
      default:
        return this.assistant.handler(method);
    }
  }

  private resolveChannel(channel: string | undefined): string | undefined {
    if (channel === undefined) return undefined;
    // Posting to a user id lands in the app's DM with that user.
    return /^[UW]/.test(channel) ? `D${channel}` : channel;
  }

  private messageContent(args: ApiArgs): ApiResult {
    const text = typeof args.text === "string" ? args.text : "";
    const content: Record<string, unknown> = { text: text.slice(0, MAX_TEXT) };
    for (const field of ["blocks", "attachments"] as const) {
      if (args[field] === undefined) continue;
      if (!Array.isArray(args[field])) {
        return invalid(`invalid_${field}`, [`must be an array [json-pointer:/${field}]`]);
      }
      content[field] = args[field];
    }
    if (content.blocks !== undefined) {
      const problems = validateBlocks(content.blocks, 50);
      if (problems.length > 0) return invalid("invalid_blocks", problems);
    }
    if (text === "" && content.blocks === undefined && content.attachments === undefined) {
      return fail("no_text");
    }
    if (args.metadata !== undefined) {
      // Slack refuses metadata without a string event_type and an object event_payload.
      const metadata = args.metadata;
      if (!isRecord(metadata) || typeof metadata.event_type !== "string" || metadata.event_type === "") {
        return fail("invalid_metadata_format");
      }
      if (!isRecord(metadata.event_payload)) return fail("invalid_metadata_schema");
      content.metadata = { event_type: metadata.event_type, event_payload: metadata.event_payload };
    }
    return ok(content);
  }

  private channelProblem(channel: string): string | undefined {
    const state = this.channels.get(channel);
    if (state?.is_archived) return "is_archived";
    if (state?.is_member === false) return "not_in_channel";
    return undefined;
  }

  private postMessage(args: ApiArgs): ApiResult {
    const channel = this.resolveChannel(str(args, "channel"));
    if (channel === undefined) return fail("channel_not_found");
    const problem = this.channelProblem(channel);
    if (problem !== undefined) return fail(problem);
    const content = this.messageContent(args);
    if (!content.ok) return content;
    const { ok: _ok, ...fields } = content;
    const ts = nextTs();
    const threadTs = str(args, "thread_ts");
    const message: SlackMessage = {
      type: "message",
      user: BOT_USER_ID,
      bot_id: BOT_ID,
      app_id: TEST_APP_ID,
      team: TEST_TEAM_ID,
      ts,
      ...fields,
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    };
    this.assistant.messagePosted(channel, threadTs);
    if (threadTs === undefined) {
      this.threads.set(threadKey(channel, ts), [message]);
    } else {
      this.threads.get(threadKey(channel, threadTs))?.push(message);
    }
    return ok({ channel, ts, message });
  }

  private updateMessage(args: ApiArgs): ApiResult {
    const channel = str(args, "channel");
    const ts = str(args, "ts");
    if (channel === undefined) return fail("channel_not_found");
    if (ts === undefined) return fail("message_not_found");
    const content = this.messageContent(args);
    if (!content.ok) return content;
    const { ok: _ok, ...fields } = content;
    // As Slack: the message must exist in that channel (message_not_found), and an app may only
    // edit what it posted itself (cant_update_message).
    let found: SlackMessage | undefined;
    for (const [key, messages] of this.threads) {
      if (!key.startsWith(`${channel}:`)) continue;
      found ??= messages.find((message) => message.ts === ts);
    }
    if (found === undefined) return fail("message_not_found");
    if (found.bot_id !== BOT_ID) return fail("cant_update_message");
    Object.assign(found, fields, { edited: { user: BOT_USER_ID, ts: nextTs() } });
    return ok({ channel, ts, text: fields.text, message: { type: "message", ts, ...fields } });
  }

  private replies(args: ApiArgs): ApiResult {
    const channel = str(args, "channel");
    const ts = str(args, "ts");
    if (channel === undefined) return fail("channel_not_found");
    if (ts === undefined) return fail("thread_not_found");
    const messages = this.threads.get(threadKey(channel, ts));
    if (messages === undefined) return fail("thread_not_found");
    const limit = Math.max(1, Number(str(args, "limit") ?? 1000) || 1000);
    const offset = Number(str(args, "cursor") ?? 0) || 0;
    const page = messages.slice(offset, offset + limit);
    const hasMore = offset + limit < messages.length;
    return ok({
      messages: page,
      has_more: hasMore,
      response_metadata: { next_cursor: hasMore ? String(offset + limit) : "" },
    });
  }

  /**
   * Top-level messages of a conversation, newest first, as Slack serves them: `limit` (default 100,
   * at most 999), message metadata only with `include_all_metadata`. A user id is not a
   * conversation (Slack answers channel_not_found); a channel the bot is not in, not_in_channel.
   */
  private history(args: ApiArgs): ApiResult {
    const channel = str(args, "channel");
    if (channel === undefined || /^[UW]/.test(channel)) return fail("channel_not_found");
    if (this.channels.get(channel)?.is_member === false) return fail("not_in_channel");
    const limitText = str(args, "limit");
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 0) return fail("invalid_limit");
    const withMetadata = ["true", "1"].includes(str(args, "include_all_metadata") ?? "");
    const top = [...this.threads.entries()]
      .filter(([key]) => key.startsWith(`${channel}:`))
      .map(([, messages]) => messages[0])
      .filter(
        (message): message is SlackMessage =>
          message !== undefined && (message.thread_ts === undefined || message.thread_ts === message.ts),
      )
      .sort((a, b) => String(b.ts).localeCompare(String(a.ts)));
    const offset = Number(str(args, "cursor") ?? 0) || 0;
    const size = Math.min(limit === 0 ? 100 : limit, 999);
    const page = top.slice(offset, offset + size).map((message) => {
      if (withMetadata) return message;
      const { metadata: _metadata, ...rest } = message;
      return rest;
    });
    const hasMore = offset + size < top.length;
    return ok({
      messages: page,
      has_more: hasMore,
      pin_count: 0,
      response_metadata: { next_cursor: hasMore ? String(offset + size) : "" },
    });
  }

  private userInfo(args: ApiArgs): ApiResult {
    const id = str(args, "user");
    if (id === undefined) return fail("user_not_found");
    const user = { ...defaultUser(id), ...this.users.get(id) };
    return ok({
      user: {
        id,
        team_id: TEST_TEAM_ID,
        name: user.name,
        real_name: user.real_name,
        deleted: user.deleted,
        is_bot: user.is_bot,
        tz: user.tz,
        tz_label: user.tz,
        tz_offset: tzOffsetSeconds(user.tz, new Date(this.now())),
        profile: { display_name: user.display_name, real_name: user.real_name },
      },
    });
  }

  private viewResult(args: ApiArgs, expectedType: "home" | "modal" | undefined, id: string): ApiResult {
    const view = args.view;
    if (!isRecord(view)) return invalid("invalid_arguments", ["must provide an object [json-pointer:/view]"]);
    if (typeof view.type !== "string" || (expectedType !== undefined && view.type !== expectedType)) {
      return invalid("invalid_arguments", [
        `must be ${expectedType ?? "a view type"} [json-pointer:/view/type]`,
      ]);
    }
    const problems = validateView(view);
    if (problems.length > 0) return invalid("invalid_arguments", problems);
    return ok({
      view: {
        team_id: TEST_TEAM_ID,
        private_metadata: "",
        callback_id: "",
        external_id: "",
        clear_on_close: false,
        notify_on_close: false,
        previous_view_id: null,
        ...view,
        id,
        root_view_id: id,
        app_id: TEST_APP_ID,
        bot_id: BOT_ID,
        state: { values: {} },
        hash: uniqueId("H"),
      },
    });
  }
}

function threadKey(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new FakeSlackServer(options);
  await fake.listen();
  return fake;
}
