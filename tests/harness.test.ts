import { createHmac } from "node:crypto";
import { App, LogLevel } from "@slack/bolt";
import {
  ErrorCode,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
  type WebClientOptions,
} from "@slack/web-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../test-support/fake-slack.js";
import {
  type AppTarget,
  appMentionEvent,
  blockActionsPayload,
  eventEnvelope,
  sendAction,
  sendCommand,
  sendEvent,
  sendToApp,
  serverUrl,
  signRequest,
  slashCommandBody,
  urlVerificationBody,
} from "./helpers/slack-requests.js";

const TOKEN = "xoxb-test";

function clientFor(fake: FakeSlack, options: WebClientOptions = {}): WebClient {
  return new WebClient(TOKEN, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
    ...options,
  });
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

describe("fake Slack Web API", () => {
  let fake: FakeSlack;

  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it("listens on loopback and answers auth.test like Slack", async () => {
    expect(fake.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const result = await clientFor(fake).auth.test();
    expect(result).toMatchObject({
      ok: true,
      team: "Test Team",
      user: "em-focus",
      team_id: "T0TEST",
      user_id: "U0BOT",
      bot_id: "B0BOT",
    });
    expect(fake.callsTo("auth.test")).toHaveLength(1);
    expect(fake.calls[0]?.token).toBe(TOKEN);
  });

  it("records chat.postMessage with JSON fields decoded and scalars as sent on the wire", async () => {
    const client = clientFor(fake);
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*hello*" } }];
    const first = await client.chat.postMessage({
      channel: "C123",
      text: "hello",
      blocks,
      thread_ts: "1700000000.000100",
      unfurl_links: false,
      metadata: { event_type: "em_focus_answer", event_payload: { topic: "hiring" } },
    });
    const second = await client.chat.postMessage({ channel: "C123", text: "again" });

    const call = fake.callsTo("chat.postMessage")[0];
    expect(call?.token).toBe(TOKEN);
    expect(call?.args.blocks).toEqual(blocks);
    expect(call?.args.metadata).toEqual({
      event_type: "em_focus_answer",
      event_payload: { topic: "hiring" },
    });
    // The client form-encodes booleans; the fake keeps the wire value rather than guessing types.
    expect(call?.args.unfurl_links).toBe("false");
    expect(call?.args.thread_ts).toBe("1700000000.000100");
    expect(call?.args).not.toHaveProperty("token");

    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first).toMatchObject({ ok: true, channel: "C123", message: { text: "hello", ts: first.ts } });
  });

  it("decodes JSON bodies and insists on a token", async () => {
    const withToken = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ channel: "C9", blocks: [{ type: "divider" }], text: "x" }),
    });
    expect(await withToken.json()).toMatchObject({ ok: true, channel: "C9" });
    expect(fake.callsTo("chat.postMessage")[0]?.args.blocks).toEqual([{ type: "divider" }]);

    const anonymous = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "channel=C9&text=x",
    });
    expect(await anonymous.json()).toEqual({ ok: false, error: "not_authed" });
    expect(fake.calls.at(-1)).toMatchObject({ token: undefined, error: "not_authed" });
  });

  it("answers unknown methods with unknown_method and validates messages", async () => {
    const client = clientFor(fake);
    const unknown = await caught(client.apiCall("no.such.method"));
    expect(unknown).toBeInstanceOf(WebAPIPlatformError);
    expect((unknown as WebAPIPlatformError).data.error).toBe("unknown_method");

    const empty = await caught(client.chat.postMessage({ channel: "C1", text: "" }));
    expect((empty as WebAPIPlatformError).data.error).toBe("no_text");

    const tooLong = await caught(
      client.chat.postMessage({
        channel: "C1",
        text: "x",
        blocks: [{ type: "section", text: { type: "mrkdwn", text: "a".repeat(3001) } }],
      }),
    );
    expect((tooLong as WebAPIPlatformError).data.error).toBe("invalid_blocks");
  });

  it("failNext makes the client throw a platform error once", async () => {
    const client = clientFor(fake);
    fake.failNext("chat.postMessage", { error: "channel_not_found" });
    const error = await caught(client.chat.postMessage({ channel: "C404", text: "hi" }));
    expect(error).toBeInstanceOf(WebAPIPlatformError);
    expect((error as WebAPIPlatformError).code).toBe(ErrorCode.PlatformError);
    expect((error as WebAPIPlatformError).data.error).toBe("channel_not_found");
    await expect(client.chat.postMessage({ channel: "C404", text: "hi" })).resolves.toMatchObject({
      ok: true,
    });
    expect(fake.callsTo("chat.postMessage").map((call) => call.error)).toEqual([
      "channel_not_found",
      undefined,
    ]);
  });

  it("failNext honours times, failAlways lasts until reset, failFor picks calls by args", async () => {
    const client = clientFor(fake);
    fake.failNext("users.info", { error: "user_not_found", times: 2 });
    await expect(client.users.info({ user: "U1" })).rejects.toThrow(/user_not_found/);
    await expect(client.users.info({ user: "U1" })).rejects.toThrow(/user_not_found/);
    await expect(client.users.info({ user: "U1" })).resolves.toMatchObject({ ok: true });

    fake.failAlways("conversations.replies", { error: "missing_scope" });
    for (let i = 0; i < 3; i += 1) {
      await expect(client.conversations.replies({ channel: "C1", ts: "1.0" })).rejects.toThrow(
        /missing_scope/,
      );
    }

    fake.failFor("chat.postMessage", (args) =>
      args.channel === "CGONE" ? { error: "channel_not_found" } : undefined,
    );
    await expect(client.chat.postMessage({ channel: "CGONE", text: "x" })).rejects.toThrow(
      /channel_not_found/,
    );
    await expect(client.chat.postMessage({ channel: "CHERE", text: "x" })).resolves.toMatchObject({
      ok: true,
    });

    fake.reset();
    fake.setThread("C1", "1.0", [{ type: "message", ts: "1.0", text: "root" }]);
    await expect(client.conversations.replies({ channel: "C1", ts: "1.0" })).resolves.toMatchObject({
      ok: true,
    });
  });

  it("a 429 with Retry-After surfaces as WebAPIRateLimitedError with rejectRateLimitedCalls", async () => {
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 7 });
    const error = await caught(
      clientFor(fake, { rejectRateLimitedCalls: true }).chat.postMessage({ channel: "C1", text: "x" }),
    );
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect((error as WebAPIRateLimitedError).code).toBe(ErrorCode.RateLimitedError);
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(7);

    fake.failNext("chat.postMessage", { status: 429, retryAfter: 3 });
    const raw = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/x-www-form-urlencoded" },
      body: "channel=C1&text=x",
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get("retry-after")).toBe("3");
    expect(await raw.json()).toEqual({ ok: false, error: "ratelimited" });
  });

  it("without rejectRateLimitedCalls the client waits Retry-After and retries", async () => {
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    const started = Date.now();
    const result = await clientFor(fake, {
      retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 },
    }).chat.postMessage({ channel: "C1", text: "x" });
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.callsTo("chat.postMessage").map((call) => call.status)).toEqual([429, 200]);
  });

  it("a 500 surfaces as WebAPIHTTPError", async () => {
    fake.failNext("chat.update", { status: 500 });
    const error = await caught(clientFor(fake).chat.update({ channel: "C1", ts: "1.0", text: "x" }));
    expect(error).toBeInstanceOf(WebAPIHTTPError);
    expect((error as WebAPIHTTPError).statusCode).toBe(500);
  });

  it("rateLimit rejects exactly the calls beyond N per second and counts them", async () => {
    let now = 1_700_000_000_000;
    const clocked = await startFakeSlack({ now: () => now });
    try {
      clocked.rateLimit("chat.postMessage", 5);
      const client = clientFor(clocked, { rejectRateLimitedCalls: true });
      const burst = await Promise.allSettled(
        Array.from({ length: 12 }, () => client.chat.postMessage({ channel: "C1", text: "x" })),
      );
      expect(burst.filter((r) => r.status === "fulfilled")).toHaveLength(5);
      const rejected = burst.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(rejected).toHaveLength(7);
      expect(
        rejected.every((r) => r.reason instanceof WebAPIRateLimitedError && r.reason.retryAfter === 1),
      ).toBe(true);
      expect(clocked.rateLimitStats("chat.postMessage")).toEqual({ perSecond: 5, accepted: 5, rejected: 7 });

      now += 1000;
      const next = await Promise.allSettled(
        Array.from({ length: 6 }, () => client.chat.postMessage({ channel: "C1", text: "x" })),
      );
      expect(next.filter((r) => r.status === "fulfilled")).toHaveLength(5);
      expect(clocked.rateLimitStats("chat.postMessage")).toEqual({ perSecond: 5, accepted: 10, rejected: 8 });
      await expect(client.users.info({ user: "U1" })).resolves.toMatchObject({ ok: true });
    } finally {
      await clocked.close();
    }
  });

  it("rateLimit can key windows per channel", async () => {
    fake.rateLimit("chat.postMessage", 1, { key: (args) => String(args.channel) });
    const client = clientFor(fake, { rejectRateLimitedCalls: true });
    await expect(client.chat.postMessage({ channel: "C1", text: "x" })).resolves.toMatchObject({ ok: true });
    await expect(client.chat.postMessage({ channel: "C2", text: "x" })).resolves.toMatchObject({ ok: true });
    // A window boundary may fall between calls, so only "at most one per channel per second" is exact.
    const results = await Promise.allSettled([
      client.chat.postMessage({ channel: "C1", text: "x" }),
      client.chat.postMessage({ channel: "C1", text: "x" }),
    ]);
    expect(results.some((r) => r.status === "rejected")).toBe(true);
  });

  it("waitForCall resolves with past or future calls and times out with the calls it saw", async () => {
    const client = clientFor(fake);
    await client.chat.postMessage({ channel: "C1", text: "early" });
    await expect(fake.waitForCall("chat.postMessage")).resolves.toMatchObject({ args: { text: "early" } });

    const later = fake.waitForCall("chat.postMessage", (call) => call.args.text === "later");
    await client.chat.postMessage({ channel: "C1", text: "later" });
    await expect(later).resolves.toMatchObject({ args: { channel: "C1", text: "later" } });

    const error = await caught(fake.waitForCall("views.publish", undefined, 50));
    expect(String(error)).toMatch(/waitForCall\("views.publish"\) timed out after 50ms; 2 call\(s\) seen/);
    expect(String(error)).toContain('chat.postMessage {"channel":"C1","text":"later"}');
    expect(String(error)).not.toContain(TOKEN);
  });

  it("serves threads, users, conversations and views", async () => {
    const client = clientFor(fake);
    await expect(client.conversations.replies({ channel: "C1", ts: "9.9" })).rejects.toThrow(
      /thread_not_found/,
    );

    const root = { type: "message", user: "U1", text: "<@U0BOT> help", ts: "1700000001.000100" };
    fake.setThread("C1", root.ts, [root]);
    await client.chat.postMessage({ channel: "C1", thread_ts: root.ts, text: "answer" });
    const replies = await client.conversations.replies({ channel: "C1", ts: root.ts });
    expect(replies.messages?.map((m) => m.text)).toEqual(["<@U0BOT> help", "answer"]);
    expect(replies.has_more).toBe(false);

    fake.setUser("U2", { tz: "Europe/Berlin" });
    const berlin = await client.users.info({ user: "U2" });
    expect(berlin.user).toMatchObject({ id: "U2", tz: "Europe/Berlin", is_bot: false, deleted: false });
    expect([3600, 7200]).toContain(berlin.user?.tz_offset);
    const other = await client.users.info({ user: "U3" });
    expect(other.user?.tz).toBe("America/New_York");

    await expect(client.conversations.info({ channel: "C1" })).resolves.toMatchObject({
      channel: { id: "C1", is_member: true, is_archived: false },
    });
    await expect(client.conversations.open({ users: "U2" })).resolves.toMatchObject({
      channel: { id: "DU2" },
    });
    fake.setChannel("CARCH", { is_archived: true });
    await expect(client.chat.postMessage({ channel: "CARCH", text: "x" })).rejects.toThrow(/is_archived/);

    const home = await client.views.publish({ user_id: "U2", view: { type: "home", blocks: [] } });
    expect(home.view?.id).toMatch(/^V/);
    expect(fake.callsTo("views.publish")[0]?.args.view).toEqual({ type: "home", blocks: [] });
  });

  it("records response_url posts", async () => {
    const url = fake.responseUrl("cmd-1");
    expect(url).toBe(`${fake.baseUrl}/response/cmd-1`);
    const waiting = fake.waitForResponse((response) => response.id === "cmd-1");
    const posted = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "done", response_type: "ephemeral" }),
    });
    expect(posted.status).toBe(200);
    await expect(waiting).resolves.toMatchObject({ id: "cmd-1", body: { text: "done" } });

    fake.failNextResponse({ status: 404 });
    const expired = await fetch(url, { method: "POST", body: "{}" });
    expect(expired.status).toBe(404);
    expect(fake.responses).toHaveLength(1);
  });

  it("setLatency delays answers", async () => {
    fake.setLatency(120);
    const started = Date.now();
    await clientFor(fake).auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it("close() ends promptly with keep-alive connections open", async () => {
    const other = await startFakeSlack();
    await clientFor(other).auth.test();
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("Slack request helpers", () => {
  it("signRequest matches Slack's documented example", () => {
    // The trigger_id must be copied in full ("…2c447fce8b6703c"); a truncated copy gives another digest.
    const body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    expect(signRequest(body, "8f742231b10e8888abcd99yyyzzz85a5", 1531420618)).toEqual({
      "x-slack-signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
      "x-slack-request-timestamp": "1531420618",
    });
  });

  it("signRequest matches an independent HMAC and defaults the timestamp to now", () => {
    const secret = "s3cr3t";
    const body = '{"type":"event_callback"}';
    const expected = createHmac("sha256", secret).update(`v0:1700000000:${body}`).digest("hex");
    expect(signRequest(body, secret, 1700000000)["x-slack-signature"]).toBe(`v0=${expected}`);
    const now = Math.floor(Date.now() / 1000);
    expect(Number(signRequest(body, secret)["x-slack-request-timestamp"])).toBeGreaterThanOrEqual(now);
  });

  it("builds Slack-shaped bodies", () => {
    const form = new URLSearchParams(slashCommandBody({ text: "how do I delegate?", user_id: "U42" }));
    expect(Object.fromEntries(form)).toMatchObject({
      command: "/em-focus",
      text: "how do I delegate?",
      user_id: "U42",
      team_id: "T0TEST",
      is_enterprise_install: "false",
    });
    for (const key of ["token", "team_domain", "channel_id", "channel_name", "user_name", "api_app_id"]) {
      expect(form.get(key)).toBeTruthy();
    }
    expect(form.get("trigger_id")).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);

    const a = eventEnvelope(appMentionEvent({ text: "<@U0BOT> hi" }));
    const b = eventEnvelope(appMentionEvent({ text: "<@U0BOT> hi" }));
    expect(a.event_id).not.toBe(b.event_id);
    expect(a).toMatchObject({
      type: "event_callback",
      team_id: "T0TEST",
      authorizations: [{ team_id: "T0TEST", user_id: "U0BOT", is_bot: true }],
    });

    const action = blockActionsPayload({ actions: [{ action_id: "more", value: "42" }] });
    expect(action).toMatchObject({
      type: "block_actions",
      user: { id: "U0USER" },
      channel: { id: "C0TEST" },
      container: { type: "message" },
      actions: [{ action_id: "more", value: "42", type: "button" }],
    });
    const home = blockActionsPayload({ actions: [{ action_id: "a" }], view: { id: "V1", type: "home" } });
    expect(home).not.toHaveProperty("channel");
    expect(home).not.toHaveProperty("response_url");
    expect(home.container).toEqual({ type: "view", view_id: "V1" });
  });
});

describe("real Bolt App over HTTP against the fake", () => {
  const signingSecret = "test-signing-secret";
  let fake: FakeSlack;
  let app: App;
  let target: AppTarget;
  let commandsHandled = 0;
  const retryNums: Array<number | undefined> = [];

  beforeAll(async () => {
    fake = await startFakeSlack();
    app = new App({
      token: TOKEN,
      signingSecret,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command("/em-focus", async ({ ack, respond, command }) => {
      commandsHandled += 1;
      await ack();
      await respond({ response_type: "ephemeral", text: `echo: ${command.text}` });
    });
    app.action("more", async ({ ack, respond, action }) => {
      await ack();
      await respond({ text: `more: ${"value" in action ? action.value : ""}` });
    });
    app.event("app_mention", async ({ event, say, context }) => {
      retryNums.push(context.retryNum);
      await say({ text: "on it", thread_ts: event.thread_ts ?? event.ts });
    });
    // Loopback only, port chosen by the OS: no reuse race and nothing exposed beyond this host.
    const server = await app.start({ port: 0, host: "127.0.0.1" });
    target = { url: serverUrl(server), signingSecret };
  });

  afterAll(async () => {
    await app.stop();
    await fake.close();
  });

  it("verified the bot token with auth.test at construction", async () => {
    await expect(fake.waitForCall("auth.test")).resolves.toMatchObject({ token: TOKEN });
  });

  it("answers a signed slash command through respond(), seen in fake.responses", async () => {
    const responseUrl = fake.responseUrl("slash-1");
    const response = await sendCommand(target, { text: "hiring plan", response_url: responseUrl });
    expect(response.status).toBe(200);
    const posted = await fake.waitForResponse((r) => r.id === "slash-1");
    expect(posted.body).toEqual({ response_type: "ephemeral", text: "echo: hiring plan" });
  });

  it("rejects a forged signature or a stale timestamp with 401 and runs no listener", async () => {
    const before = commandsHandled;
    const forged = await sendCommand(
      target,
      { text: "forged", response_url: fake.responseUrl("forged") },
      { signature: `v0=${"0".repeat(64)}` },
    );
    expect(forged.status).toBe(401);

    const stale = await sendCommand(
      target,
      { text: "stale", response_url: fake.responseUrl("stale") },
      { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 },
    );
    expect(stale.status).toBe(401);

    const wrongSecret = await sendCommand(
      { ...target, signingSecret: "not-the-secret" },
      { text: "wrong", response_url: fake.responseUrl("wrong") },
    );
    expect(wrongSecret.status).toBe(401);

    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(commandsHandled).toBe(before);
    expect(fake.responses.filter((r) => ["forged", "stale", "wrong"].includes(r.id))).toEqual([]);
  });

  it("delivers block actions and events, with Slack's retry headers", async () => {
    const actionResponse = await sendAction(target, {
      actions: [{ action_id: "more", value: "7" }],
      response_url: fake.responseUrl("action-1"),
    });
    expect(actionResponse.status).toBe(200);
    await expect(fake.waitForResponse((r) => r.id === "action-1")).resolves.toMatchObject({
      body: { text: "more: 7" },
    });

    const mention = appMentionEvent({ text: "<@U0BOT> help", channel: "C77" });
    const first = await sendEvent(target, mention);
    expect(first.status).toBe(200);
    const retried = await sendEvent(target, mention, { eventId: first.eventId, retryNum: 1 });
    expect(retried.status).toBe(200);
    const toC77 = () => fake.callsTo("chat.postMessage").filter((call) => call.args.channel === "C77");
    await fake.waitForCall("chat.postMessage", () => toC77().length >= 2);
    expect(toC77()[0]?.args).toMatchObject({ text: "on it", thread_ts: mention.ts });
    // Bolt acks events before listeners run, so the two listener runs may finish in either order.
    expect([...retryNums].sort()).toEqual([1, undefined]);
  });

  it("answers Slack's url_verification handshake", async () => {
    const response = await sendToApp(target.url, urlVerificationBody("abc123"), {
      contentType: "application/json",
      signingSecret,
    });
    expect(response.json).toEqual({ challenge: "abc123" });
  });
});
