import { createHmac, randomBytes, randomInt } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  BOT_ID,
  BOT_USER_ID,
  nextTs,
  nowSeconds,
  TEST_APP_ID,
  TEST_TEAM_DOMAIN,
  TEST_TEAM_ID,
  uniqueId,
} from "../../test-support/ids.js";

export {
  BOT_ID,
  BOT_USER_ID,
  nextTs,
  nowSeconds,
  TEST_APP_ID,
  TEST_TEAM_ID,
} from "../../test-support/ids.js";

export type SlackContentType = "application/json" | "application/x-www-form-urlencoded";

export interface SlackSignatureHeaders {
  "x-slack-signature": string;
  "x-slack-request-timestamp": string;
}

/** Where the Bolt app under test listens. */
export interface AppTarget {
  /** Base URL such as `http://127.0.0.1:PORT`. */
  url: string;
  signingSecret: string;
}

export interface SendOptions {
  contentType: SlackContentType;
  signingSecret: string;
  /** Seconds; defaults to now. */
  timestamp?: number;
  /** Sent instead of the computed signature (to forge a request). */
  signature?: string;
  /** Drop both signature headers. */
  unsigned?: boolean;
  retryNum?: number;
  /** Defaults to `http_timeout` when `retryNum` is set. */
  retryReason?: string;
  path?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export type RequestOptions = Omit<SendOptions, "contentType" | "signingSecret">;

export interface AppResponse {
  status: number;
  text: string;
  /** Parsed body when it is JSON, else undefined. */
  json: unknown;
  headers: Headers;
}

export interface SlashCommandFields {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  response_url: string;
  trigger_id: string;
  is_enterprise_install: string;
  enterprise_id?: string;
  enterprise_name?: string;
}

export interface SlackEvent {
  type: string;
  [key: string]: unknown;
}

export interface EventEnvelopeOptions {
  eventId?: string;
  teamId?: string;
  apiAppId?: string;
  eventTime?: number;
}

export interface EventAuthorization {
  enterprise_id: string | null;
  team_id: string;
  user_id: string;
  is_bot: boolean;
  is_enterprise_install: boolean;
}

export interface EventEnvelope<E extends SlackEvent = SlackEvent> {
  token: string;
  team_id: string;
  api_app_id: string;
  event: E;
  type: "event_callback";
  event_id: string;
  event_time: number;
  authorizations: EventAuthorization[];
  is_ext_shared_channel: boolean;
  event_context: string;
}

export interface ActionUser {
  id: string;
  username: string;
  name: string;
  team_id: string;
}

export interface BlockActionInput {
  action_id: string;
  block_id?: string;
  value?: string;
  type?: string;
  action_ts?: string;
  text?: { type: "plain_text"; text: string; emoji?: boolean };
  [key: string]: unknown;
}

export interface BlockActionsInput {
  actions: BlockActionInput[];
  user?: Partial<ActionUser>;
  team?: { id: string; domain: string };
  /** Omit (and pass `view`) for actions in the Home tab or a modal. */
  channel?: { id: string; name: string };
  container?: Record<string, unknown>;
  trigger_id?: string;
  response_url?: string;
  message?: Record<string, unknown>;
  view?: Record<string, unknown>;
  state?: { values: Record<string, unknown> };
  api_app_id?: string;
  token?: string;
}

export interface BlockActionsPayload {
  type: "block_actions";
  user: ActionUser;
  api_app_id: string;
  token: string;
  container: Record<string, unknown>;
  trigger_id: string;
  team: { id: string; domain: string };
  enterprise: null;
  is_enterprise_install: boolean;
  channel?: { id: string; name: string };
  message?: Record<string, unknown>;
  view?: Record<string, unknown>;
  state?: { values: Record<string, unknown> };
  response_url?: string;
  actions: Array<BlockActionInput & { block_id: string; type: string; action_ts: string }>;
}

export interface ViewSubmissionInput {
  callback_id: string;
  /** `view.state.values`: `{ [block_id]: { [action_id]: { type, value, … } } }` */
  values?: Record<string, Record<string, unknown>>;
  private_metadata?: string;
  view_id?: string;
  user?: Partial<ActionUser>;
  team?: { id: string; domain: string };
  trigger_id?: string;
  response_urls?: Array<{ block_id: string; action_id: string; channel_id: string; response_url: string }>;
  view?: Record<string, unknown>;
}

export interface ViewSubmissionPayload {
  type: "view_submission";
  team: { id: string; domain: string };
  user: ActionUser;
  api_app_id: string;
  token: string;
  trigger_id: string;
  view: Record<string, unknown>;
  response_urls: Array<{ block_id: string; action_id: string; channel_id: string; response_url: string }>;
  is_enterprise_install: boolean;
  enterprise: null;
}

const DEFAULT_TOKEN = "verification-token-unused";
const DEFAULT_USER_ID = "U0USER";
const DEFAULT_USER_NAME = "alice";
const DEFAULT_CHANNEL = { id: "C0TEST", name: "general" };
/**
 * Loopback port 1 refuses connections at once: a test that forgets to pass
 * `fake.responseUrl()` fails fast instead of reaching the network.
 */
export const UNROUTABLE_RESPONSE_URL = "http://127.0.0.1:1/response/unset";

export function signRequest(
  body: string,
  signingSecret: string,
  timestamp: number = nowSeconds(),
): SlackSignatureHeaders {
  const digest = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex");
  return { "x-slack-signature": `v0=${digest}`, "x-slack-request-timestamp": String(timestamp) };
}

function triggerId(): string {
  return `${Date.now()}.${randomInt(1e9, 1e10)}.${randomBytes(12).toString("hex")}`;
}

export function slashCommandFields(fields: Partial<SlashCommandFields> = {}): SlashCommandFields {
  return {
    token: DEFAULT_TOKEN,
    team_id: TEST_TEAM_ID,
    team_domain: TEST_TEAM_DOMAIN,
    channel_id: DEFAULT_CHANNEL.id,
    channel_name: DEFAULT_CHANNEL.name,
    user_id: DEFAULT_USER_ID,
    user_name: DEFAULT_USER_NAME,
    command: "/em-focus",
    text: "",
    api_app_id: TEST_APP_ID,
    is_enterprise_install: "false",
    response_url: UNROUTABLE_RESPONSE_URL,
    trigger_id: triggerId(),
    ...fields,
  };
}

export function slashCommandBody(fields: Partial<SlashCommandFields> = {}): string {
  const entries = Object.entries(slashCommandFields(fields)).filter(
    (entry): entry is [string, string] => typeof entry[1] === "string",
  );
  return new URLSearchParams(entries).toString();
}

export function eventEnvelope<E extends SlackEvent>(
  event: E,
  options: EventEnvelopeOptions = {},
): EventEnvelope<E> {
  const teamId = options.teamId ?? TEST_TEAM_ID;
  return {
    token: DEFAULT_TOKEN,
    team_id: teamId,
    api_app_id: options.apiAppId ?? TEST_APP_ID,
    event,
    type: "event_callback",
    event_id: options.eventId ?? uniqueId("Ev"),
    event_time: options.eventTime ?? nowSeconds(),
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: BOT_USER_ID,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${uniqueId("ctx")}`,
  };
}

export function eventBody(event: SlackEvent, options: EventEnvelopeOptions = {}): string {
  return JSON.stringify(eventEnvelope(event, options));
}

export interface MessageEventFields {
  text: string;
  user?: string;
  channel?: string;
  ts?: string;
  thread_ts?: string;
}

export function appMentionEvent(fields: MessageEventFields): SlackEvent {
  const ts = fields.ts ?? nextTs();
  return {
    type: "app_mention",
    user: fields.user ?? DEFAULT_USER_ID,
    text: fields.text,
    ts,
    channel: fields.channel ?? DEFAULT_CHANNEL.id,
    event_ts: ts,
    team: TEST_TEAM_ID,
    client_msg_id: uniqueId("msg"),
    ...(fields.thread_ts === undefined ? {} : { thread_ts: fields.thread_ts }),
  };
}

export function imMessageEvent(fields: MessageEventFields): SlackEvent {
  const ts = fields.ts ?? nextTs();
  const user = fields.user ?? DEFAULT_USER_ID;
  return {
    type: "message",
    channel_type: "im",
    user,
    text: fields.text,
    ts,
    channel: fields.channel ?? `D${user}`,
    event_ts: ts,
    team: TEST_TEAM_ID,
    client_msg_id: uniqueId("msg"),
    ...(fields.thread_ts === undefined ? {} : { thread_ts: fields.thread_ts }),
  };
}

/** The person opened the app's Home tab, or its Messages tab (the agent's surface under agent_view). */
export function appHomeOpenedEvent(
  user: string = DEFAULT_USER_ID,
  tab: "home" | "messages" = "home",
): SlackEvent {
  return { type: "app_home_opened", user, channel: `D${user}`, tab, event_ts: nextTs() };
}

export function urlVerificationBody(challenge: string): string {
  return JSON.stringify({ token: DEFAULT_TOKEN, challenge, type: "url_verification" });
}

function actionUser(user: Partial<ActionUser> = {}): ActionUser {
  const username = user.username ?? user.name ?? DEFAULT_USER_NAME;
  return {
    id: user.id ?? DEFAULT_USER_ID,
    username,
    name: user.name ?? username,
    team_id: user.team_id ?? TEST_TEAM_ID,
  };
}

export function blockActionsPayload(input: BlockActionsInput): BlockActionsPayload {
  const inView = input.view !== undefined && input.channel === undefined;
  const channel = inView ? undefined : (input.channel ?? DEFAULT_CHANNEL);
  const messageTs = typeof input.message?.ts === "string" ? input.message.ts : nextTs();
  const message = inView ? input.message : (input.message ?? { type: "message", ts: messageTs, text: "" });
  const container =
    input.container ??
    (inView
      ? { type: "view", view_id: input.view?.id }
      : { type: "message", message_ts: messageTs, channel_id: channel?.id, is_ephemeral: false });
  const responseUrl = input.response_url ?? (inView ? undefined : UNROUTABLE_RESPONSE_URL);
  return {
    type: "block_actions",
    user: actionUser(input.user),
    api_app_id: input.api_app_id ?? TEST_APP_ID,
    token: input.token ?? DEFAULT_TOKEN,
    container,
    trigger_id: input.trigger_id ?? triggerId(),
    team: input.team ?? { id: TEST_TEAM_ID, domain: TEST_TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
    ...(channel === undefined ? {} : { channel }),
    ...(message === undefined ? {} : { message }),
    ...(input.view === undefined ? {} : { view: input.view }),
    ...(input.state === undefined ? {} : { state: input.state }),
    ...(responseUrl === undefined ? {} : { response_url: responseUrl }),
    actions: input.actions.map((action) => ({
      ...action,
      block_id: action.block_id ?? uniqueId("b"),
      type: action.type ?? "button",
      action_ts: action.action_ts ?? nextTs(),
    })),
  };
}

export function blockActionsBody(input: BlockActionsInput): string {
  return new URLSearchParams({ payload: JSON.stringify(blockActionsPayload(input)) }).toString();
}

export function viewSubmissionPayload(input: ViewSubmissionInput): ViewSubmissionPayload {
  const id = input.view_id ?? uniqueId("V");
  return {
    type: "view_submission",
    team: input.team ?? { id: TEST_TEAM_ID, domain: TEST_TEAM_DOMAIN },
    user: actionUser(input.user),
    api_app_id: TEST_APP_ID,
    token: DEFAULT_TOKEN,
    trigger_id: input.trigger_id ?? triggerId(),
    view: {
      id,
      team_id: TEST_TEAM_ID,
      type: "modal",
      blocks: [],
      private_metadata: input.private_metadata ?? "",
      callback_id: input.callback_id,
      state: { values: input.values ?? {} },
      hash: uniqueId("h"),
      title: { type: "plain_text", text: "em-focus" },
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: id,
      previous_view_id: null,
      app_id: TEST_APP_ID,
      external_id: "",
      bot_id: BOT_ID,
      ...input.view,
    },
    response_urls: input.response_urls ?? [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function viewSubmissionBody(input: ViewSubmissionInput): string {
  return new URLSearchParams({ payload: JSON.stringify(viewSubmissionPayload(input)) }).toString();
}

export async function sendToApp(baseUrl: string, body: string, options: SendOptions): Promise<AppResponse> {
  const timestamp = options.timestamp ?? nowSeconds();
  const signed = signRequest(body, options.signingSecret, timestamp);
  const headers: Record<string, string> = { "content-type": options.contentType };
  if (!options.unsigned) {
    headers["x-slack-request-timestamp"] = signed["x-slack-request-timestamp"];
    headers["x-slack-signature"] = options.signature ?? signed["x-slack-signature"];
  }
  if (options.retryNum !== undefined) {
    headers["x-slack-retry-num"] = String(options.retryNum);
    headers["x-slack-retry-reason"] = options.retryReason ?? "http_timeout";
  }
  Object.assign(headers, options.headers);
  const response = await fetch(new URL(options.path ?? "/slack/events", baseUrl), {
    method: "POST",
    headers,
    body,
    redirect: "manual",
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json, headers: response.headers };
}

export function sendCommand(
  app: AppTarget,
  fields: Partial<SlashCommandFields> = {},
  options: RequestOptions = {},
): Promise<AppResponse> {
  return sendToApp(app.url, slashCommandBody(fields), {
    ...options,
    contentType: "application/x-www-form-urlencoded",
    signingSecret: app.signingSecret,
  });
}

export async function sendEvent(
  app: AppTarget,
  event: SlackEvent,
  options: RequestOptions & EventEnvelopeOptions = {},
): Promise<AppResponse & { eventId: string }> {
  const { eventId = uniqueId("Ev"), teamId, apiAppId, eventTime, ...requestOptions } = options;
  const body = eventBody(event, { eventId, teamId, apiAppId, eventTime });
  const response = await sendToApp(app.url, body, {
    ...requestOptions,
    contentType: "application/json",
    signingSecret: app.signingSecret,
  });
  return { ...response, eventId };
}

export function sendAction(
  app: AppTarget,
  payload: BlockActionsInput,
  options: RequestOptions = {},
): Promise<AppResponse> {
  return sendToApp(app.url, blockActionsBody(payload), {
    ...options,
    contentType: "application/x-www-form-urlencoded",
    signingSecret: app.signingSecret,
  });
}

export function sendViewSubmission(
  app: AppTarget,
  input: ViewSubmissionInput,
  options: RequestOptions = {},
): Promise<AppResponse> {
  return sendToApp(app.url, viewSubmissionBody(input), {
    ...options,
    contentType: "application/x-www-form-urlencoded",
    signingSecret: app.signingSecret,
  });
}

/** Prefer listening on port 0 and reading `serverUrl(server)`; this has a small reuse race. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function serverUrl(server: Server): string {
  const address = server.address();
  if (address === null || typeof address === "string") {
    throw new Error(`server is not listening on a TCP port (address: ${String(address)})`);
  }
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host === "0.0.0.0" || host === "[::]" ? "127.0.0.1" : host}:${address.port}`;
}
