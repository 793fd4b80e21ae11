import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedCall } from "../test-support/fake-slack.js";
import { nextTs } from "../test-support/ids.js";
import {
  assistantThreadContextChangedEvent,
  assistantThreadStartedEvent,
} from "./helpers/assistant-events.js";
import type { TestBot } from "./helpers/bot.js";
import { install, type Origin, sendEventFrom, startOAuthBot } from "./helpers/oauth.js";
import { rawSql } from "./helpers/raw-sql.js";
import { imMessageEvent } from "./helpers/slack-requests.js";

const A: Origin = { teamId: "T0CTXA" };
const B: Origin = { teamId: "T0CTXB" };
const ORG_MEMBER: Origin = { teamId: "T0CTXORGWS", enterpriseId: "E0CTXORG", org: true };
const QUESTION = "I miss coding, should I go back?";

interface Thread {
  origin: Origin;
  user: string;
  channel: string;
  threadTs: string;
}

/** Issue 19 item 5: an uninstall forgets the assistant panel's thread context of that install. */
describe("uninstall and the assistant thread context (issue 19)", () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startOAuthBot();
    for (const origin of [A, B]) expect((await install(bot, { teamId: origin.teamId })).status).toBe(200);
    expect((await install(bot, { enterpriseId: "E0CTXORG", isEnterpriseInstall: true })).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await bot?.stop();
  });

  async function openPanel(origin: Origin, user: string, looking: string): Promise<Thread> {
    const thread = { origin, user, channel: `D${user}`, threadTs: nextTs() };
    bot.fake.setThread(thread.channel, thread.threadTs, [
      { type: "message", subtype: "assistant_app_thread", text: "New chat", ts: thread.threadTs },
    ]);
    const started = assistantThreadStartedEvent({
      user,
      channel: thread.channel,
      threadTs: thread.threadTs,
      context: { channel_id: looking, team_id: origin.teamId },
    });
    expect((await sendEventFrom(bot, origin, started)).status).toBe(200);
    await bot.fake.waitForCall(
      "assistant.threads.setSuggestedPrompts",
      (c) => c.args.thread_ts === thread.threadTs && c.error === undefined,
    );
    return thread;
  }

  /** The person asks in the thread; resolves with the app's answer there. */
  async function ask(thread: Thread): Promise<RecordedCall> {
    const seen = new Set(bot.fake.callsTo("chat.postMessage"));
    const event = imMessageEvent({
      text: QUESTION,
      user: thread.user,
      channel: thread.channel,
      thread_ts: thread.threadTs,
    });
    bot.fake.thread(thread.channel, thread.threadTs)?.push({
      type: "message",
      user: thread.user,
      text: QUESTION,
      ts: event.ts,
      thread_ts: thread.threadTs,
    });
    const reply = bot.fake.waitForCall(
      "chat.postMessage",
      (c) => !seen.has(c) && c.args.channel === thread.channel && c.args.thread_ts === thread.threadTs,
    );
    expect((await sendEventFrom(bot, thread.origin, event)).status).toBe(200);
    return reply;
  }

  const lookingAt = (call: RecordedCall) =>
    (call.args.metadata as { event_payload?: { channel_id?: unknown } } | undefined)?.event_payload
      ?.channel_id;

  it("app_uninstalled forgets the uninstalled workspace's threads and keeps the others'", async () => {
    const a = await openPanel(A, "U0CTXA", "C0ALOOK");
    const b = await openPanel(B, "U0CTXB", "C0BLOOK");
    const changed = assistantThreadContextChangedEvent({
      user: a.user,
      channel: a.channel,
      threadTs: a.threadTs,
      context: { channel_id: "C0AMOVED", team_id: A.teamId },
    });
    expect((await sendEventFrom(bot, A, changed)).status).toBe(200);
    // The control: before the uninstall, A's answer carries the context it was last given.
    expect(lookingAt(await ask(a))).toBe("C0AMOVED");

    expect((await sendEventFrom(bot, A, { type: "app_uninstalled" })).status).toBe(200);
    // Events are acknowledged before they are handled: A installs again once its install is gone.
    await expect
      .poll(() => rawSql(bot.databasePath, "select team_id from installations where team_id = 'T0CTXA'"))
      .toEqual([]);
    expect((await install(bot, { teamId: A.teamId })).status).toBe(200);
    expect(lookingAt(await ask(a))).toBeUndefined();
    expect(lookingAt(await ask(b))).toBe("C0BLOOK");
  });

  it("an org-wide tokens_revoked forgets the threads of its workspaces; a workspace install's stay", async () => {
    const member = await openPanel(ORG_MEMBER, "U0CTXORG", "C0ORGLOOK");
    const b = await openPanel(B, "U0CTXB2", "C0BLOOK2");
    expect(lookingAt(await ask(member))).toBe("C0ORGLOOK");

    const revoked = { type: "tokens_revoked", tokens: { oauth: [], bot: ["U0BOT"] } };
    expect((await sendEventFrom(bot, ORG_MEMBER, revoked)).status).toBe(200);
    await expect
      .poll(() =>
        rawSql(bot.databasePath, "select enterprise_id from installations where enterprise_id = 'E0CTXORG'"),
      )
      .toEqual([]);
    expect((await install(bot, { enterpriseId: "E0CTXORG", isEnterpriseInstall: true })).status).toBe(200);
    expect(lookingAt(await ask(member))).toBeUndefined();
    expect(lookingAt(await ask(b))).toBe("C0BLOOK2");
  });
});
