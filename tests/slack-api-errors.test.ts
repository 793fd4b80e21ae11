import { formatWithOptions } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, type MockInstance, vi } from "vitest";
import { ACTIONS } from "../src/slack/views/answer.js";
import { buttonsOf, settle, startTestBot, type TestBot, visibleText } from "./helpers/bot.js";
import {
  appHomeOpenedEvent,
  appMentionEvent,
  BOT_USER_ID,
  imMessageEvent,
  nextTs,
  sendAction,
  sendCommand,
  sendEvent,
} from "./helpers/slack-requests.js";

const SECRET_TOKEN = "xoxb-test-secret-123";
const SECRET_SIGNING = "signing-secret-xyz-456";
const IC_QUESTION = "I miss coding, should I go back?";
const CONSOLE_METHODS = ["log", "error", "warn", "info", "debug"] as const;

describe("Slack API failures, with debug logging captured", () => {
  let t: TestBot;
  const spies: MockInstance[] = [];
  const lines: string[] = [];

  beforeAll(async () => {
    for (const method of CONSOLE_METHODS) {
      spies.push(
        vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
          lines.push(`${method}: ${formatWithOptions({ depth: 8, colors: false }, ...args)}`);
        }),
      );
    }
    t = await startTestBot({
      env: { SLACK_BOT_TOKEN: SECRET_TOKEN, SLACK_SIGNING_SECRET: SECRET_SIGNING, LOG_LEVEL: "debug" },
    });
  });
  afterEach(() => t.fake.reset());
  afterAll(async () => {
    await t?.stop();
    // Listeners still finishing after stop() log too; keep capturing them.
    await settle(200);
    for (const spy of spies) spy.mockRestore();
    const all = lines.join("\n");
    expect(all).not.toContain(SECRET_TOKEN);
    expect(all).not.toContain(SECRET_SIGNING);
  });

  const logged = () => lines.join("\n");
  const errorsLogged = () =>
    lines.filter((line) => line.startsWith("error:") || line.startsWith("warn:")).join("\n");

  /** A mention in a fresh channel and the postMessage it leads to. */
  async function mention(channel: string) {
    await sendEvent(t.target, appMentionEvent({ text: `<@${BOT_USER_ID}> ${IC_QUESTION}`, channel }));
    return t.fake.waitForCall(
      "chat.postMessage",
      (call) => call.args.channel === channel && call.error === undefined,
    );
  }

  it("started with the token and verified it", async () => {
    expect(t.bot.mode).toBe("http");
    // auth.test ran before the reset of the first afterEach; the log shows it.
    expect(logged()).toContain("auth.test");
    expect(logged()).toContain("em-focus is running in HTTP mode");
  });

  it.each([
    { name: "channel_not_found", spec: { error: "channel_not_found" }, expectInLog: "channel_not_found" },
    { name: "not_in_channel", spec: { error: "not_in_channel" }, expectInLog: "not_in_channel" },
    {
      name: "a 429 with Retry-After",
      spec: { status: 429, retryAfter: 7 },
      expectInLog: "retry this request in 7 seconds",
    },
    { name: "a 500", spec: { status: 500 }, expectInLog: "500" },
  ])(
    "logs a chat.postMessage failing with $name once, without retrying, and keeps serving",
    async ({ spec, expectInLog }) => {
      const before = lines.length;
      t.fake.failNext("chat.postMessage", spec);
      await sendEvent(
        t.target,
        appMentionEvent({ text: `<@${BOT_USER_ID}> ${IC_QUESTION}`, channel: "CFAIL" }),
      );
      await t.fake.waitForCall("chat.postMessage", (call) => call.args.channel === "CFAIL");
      await vi.waitFor(() =>
        expect(lines.slice(before).some((line) => line.startsWith("error:"))).toBe(true),
      );
      expect(
        lines
          .slice(before)
          .filter((line) => line.startsWith("error:"))
          .join("\n")
          .toLowerCase(),
      ).toContain(expectInLog.toLowerCase());
      // One attempt: a person is waiting, and a 429 must not stall the client's whole queue.
      expect(t.fake.callsTo("chat.postMessage")).toHaveLength(1);

      // The next request is served normally.
      const ok = await mention("CAFTERFAIL");
      expect(ok.error).toBeUndefined();
      const command = await sendCommand(t.target, { text: IC_QUESTION });
      expect(command.status).toBe(200);
    },
  );

  it("keeps answering while chat.postMessage fails for every call for a while", async () => {
    const undo = t.fake.failAlways("chat.postMessage", { status: 503 });
    const events = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        sendEvent(t.target, imMessageEvent({ text: IC_QUESTION, user: `U0BURST${i}` })),
      ),
    );
    for (const response of events) expect(response.status).toBe(200);
    await vi.waitFor(() => expect(t.fake.callsTo("chat.postMessage")).toHaveLength(10));
    // Slash-command answers do not need the Web API at all.
    const command = await sendCommand(t.target, { text: IC_QUESTION });
    expect(command.status).toBe(200);
    undo();
    const ok = await mention("CRECOVERED");
    expect(ok.error).toBeUndefined();
  });

  it("acknowledges events at once even when Slack's API is slow", async () => {
    t.fake.setLatency(1500);
    const started = Date.now();
    const response = await sendEvent(
      t.target,
      appMentionEvent({ text: `<@${BOT_USER_ID}> ${IC_QUESTION}`, channel: "CSLOW" }),
    );
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    t.fake.setLatency(0);
  });

  it("answers from the mention itself when the thread cannot be read (500 from conversations.replies)", async () => {
    t.fake.failNext("conversations.replies", { status: 500 });
    const root = nextTs();
    await sendEvent(
      t.target,
      appMentionEvent({ text: `<@${BOT_USER_ID}>`, channel: "CNOREAD", thread_ts: root }),
    );
    const call = await t.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "CNOREAD");
    expect(call.args.thread_ts).toBe(root);
    expect(visibleText(call.args)).toContain("How to ask");
    expect(errorsLogged()).toContain("Could not read thread");
  });

  it("logs a failed views.publish and publishes the next Home tab", async () => {
    t.fake.failNext("views.publish", { error: "invalid_arguments" });
    await sendEvent(t.target, appHomeOpenedEvent("U0HOMEFAIL"));
    await t.fake.waitForCall("views.publish");
    await sendEvent(t.target, appHomeOpenedEvent("U0HOMEOK"));
    const ok = await t.fake.waitForCall("views.publish", (c) => c.args.user_id === "U0HOMEOK");
    expect(ok.error).toBeUndefined();
    expect(errorsLogged()).toContain("invalid_arguments");
  });

  it("keeps the ephemeral answer when sharing through an expired response_url fails", async () => {
    const answer = await sendCommand(t.target, { text: IC_QUESTION });
    const share = buttonsOf(answer.json).find((b) => b.action_id === ACTIONS.share);
    expect(share).toBeDefined();
    t.fake.failNextResponse({ status: 404, body: "expired_url" });
    const before = lines.length;
    const response = await sendAction(t.target, {
      actions: [{ action_id: ACTIONS.share, value: share?.value ?? "" }],
      response_url: t.fake.responseUrl("expired"),
    });
    expect(response.status).toBe(200);
    await vi.waitFor(() => expect(lines.slice(before).some((line) => line.startsWith("error:"))).toBe(true));
    await settle(100);
    // The share failed, so the answer must not be deleted either; the person is told it failed.
    const expired = t.fake.responses.filter((r) => r.id === "expired");
    expect(expired.filter((r) => r.body.delete_original === true)).toEqual([]);
    expect(expired.map((r) => r.body.text)).toEqual([
      "Something went wrong on my side, so that didn't work — try again.",
    ]);

    const retry = await sendAction(t.target, {
      actions: [{ action_id: ACTIONS.share, value: share?.value ?? "" }],
      response_url: t.fake.responseUrl("retry"),
    });
    expect(retry.status).toBe(200);
    await t.fake.waitForResponse((r) => r.id === "retry" && r.body.delete_original === true);
  });

  it("logs which scope is missing when Slack refuses to show a thread", async () => {
    const undo = t.fake.handle("conversations.replies", () => ({
      ok: false,
      error: "missing_scope",
      needed: "channels:history",
      provided: "chat:write,commands",
    }));
    const before = lines.length;
    await sendEvent(
      t.target,
      appMentionEvent({ text: `<@${BOT_USER_ID}>`, channel: "CSCOPE", thread_ts: nextTs() }),
    );
    await t.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "CSCOPE");
    undo();
    const warnings = lines
      .slice(before)
      .filter((line) => line.startsWith("error:"))
      .join("\n");
    expect(warnings).toContain("missing_scope");
    // What an operator needs to fix it; it is in the error's `data`, which the log must keep.
    expect(warnings).toContain("channels:history");
  });

  it("never writes the bot token or the signing secret to the log", async () => {
    // Make sure there is plenty of debug output with Web API calls in it.
    await mention("CLOGS");
    await sendEvent(t.target, imMessageEvent({ text: IC_QUESTION, user: "U0LOGS" }));
    await t.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "DU0LOGS");
    await settle(200);
    expect(lines.length).toBeGreaterThan(20);
    expect(logged()).toContain("chat.postMessage");
    const all = logged();
    expect(all).not.toContain(SECRET_TOKEN);
    expect(all).not.toContain("test-secret-123");
    expect(all).not.toContain(SECRET_SIGNING);
    // The token really was used on the wire, so its absence from the log is not by accident.
    expect(t.fake.callsTo("chat.postMessage")[0]?.token).toBe(SECRET_TOKEN);
  });
});
