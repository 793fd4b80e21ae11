/*
 * Issue 20 end to end: the real app (HTTP receiver, signed requests) for every click, and the real
 * `em-focus prompts deliver` process (driven with --now) for every prompt, summary and retention
 * pass, against the fake Slack, on SQLite and on PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadLibrary } from "../src/content/load.js";
import { nextPromptAt } from "../src/prompts/schedule.js";
import { levelSections } from "../src/slack/views/overview.js";
import { openStore } from "../src/store/open.js";
import type { Delivery, Store, Subscription } from "../src/store/types.js";
import type { RecordedCall, SlackMessage } from "../test-support/fake-slack.js";
import {
  asMessage,
  type Block,
  blocksOf,
  buttonsOf,
  CONTENT_BASE_URL,
  CONTENT_DIR,
  startTestBot,
  TEST_DATABASES,
  type TestBot,
  visibleText,
} from "./helpers/bot.js";
import { deliver, SCHEDULE, ZONE } from "./helpers/deliver-process.js";
import {
  appHomeOpenedEvent,
  sendAction,
  sendCommand,
  sendEvent,
  sendViewSubmission,
  TEST_TEAM_ID,
} from "./helpers/slack-requests.js";

const TEAM = TEST_TEAM_ID;
const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60_000;
const library = loadLibrary(CONTENT_DIR, { baseUrl: CONTENT_BASE_URL });
const sectionOf = (level: "narrow" | "wide" | "ic") => {
  const section = levelSections(library).find((s) => s.level === level);
  if (!section) throw new Error(`no ${level} section`);
  return section;
};
const dm = (user: string) => `D${user}`;
/** Where the tests' schedules start: a month ahead of the real clock. */
const FUTURE = new Date(Date.now() + 30 * DAY);

describe.each(TEST_DATABASES)("reflection that teaches ($name)", { timeout: 240_000 }, ({ postgresUrl }) => {
  let t: TestBot;
  let store: Store;
  let sequence = 0;

  beforeEach(async () => {
    t = await startTestBot(postgresUrl ? { postgresUrl } : {});
    store = await openStore(t.databasePath);
  });
  afterEach(async () => {
    await store?.close();
    await t?.stop();
  });

  /** The real `prompts deliver` process at `now`; it must succeed. */
  async function pass(now: Date, env: Record<string, string> = {}) {
    const run = await deliver({ ...t.env, ...env }, now);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    return run.stdout;
  }

  function nextCall(method: string, predicate: (call: RecordedCall) => boolean = () => true) {
    const earlier = new Set(t.fake.callsTo(method));
    return () => t.fake.waitForCall(method, (call) => !earlier.has(call) && predicate(call));
  }

  function current(channel: string, ts: string): SlackMessage {
    const message = t.fake.thread(channel, ts)?.[0];
    if (!message) throw new Error(`no message ${ts} in ${channel}`);
    return message;
  }

  /** Clicks a button of a message as Slack sends it; returns the private response, if one comes. */
  async function click(message: SlackMessage, actionId: string, user: string, channel: string) {
    sequence += 1;
    const id = `click-${sequence}`;
    const button = buttonsOf(message).find((b) => b.action_id === actionId);
    if (!button) throw new Error(`no ${actionId} button in ${JSON.stringify(message).slice(0, 300)}`);
    const ts = String(message.ts);
    const response = await sendAction(t.target, {
      actions: [{ action_id: actionId, block_id: button.block_id || undefined, value: button.value }],
      user: { id: user },
      channel: { id: channel, name: channel.startsWith("D") ? "directmessage" : "team-leads" },
      message,
      container: { type: "message", message_ts: ts, channel_id: channel, is_ephemeral: false },
      response_url: t.fake.responseUrl(id),
    });
    expect(response.status).toBe(200);
    return id;
  }

  async function response(id: string) {
    return asMessage((await t.fake.waitForResponse((r) => r.id === id)).body);
  }

  async function command(text: string, user: string) {
    sequence += 1;
    const id = `command-${sequence}`;
    const sent = await sendCommand(t.target, {
      text,
      user_id: user,
      channel_id: dm(user),
      response_url: t.fake.responseUrl(id),
    });
    expect(sent.status).toBe(200);
    return response(id);
  }

  async function submitNote(user: string, deliveryId: string, note: string) {
    const sent = await sendViewSubmission(t.target, {
      callback_id: "prompt_note",
      private_metadata: deliveryId,
      user: { id: user },
      values: { note: { note: { type: "plain_text_input", value: note } } },
    });
    expect(sent.status).toBe(200);
    expect(sent.text).toBe("");
  }

  async function openHome(user: string): Promise<Block[]> {
    const published = nextCall("views.publish", (call) => call.args.user_id === user);
    expect((await sendEvent(t.target, appHomeOpenedEvent(user))).status).toBe(200);
    const call = await published();
    expect(call.error).toBeUndefined();
    return blocksOf((call.args as { view: unknown }).view);
  }

  async function forgetMe(user: string) {
    const ask = await command("forget-me", user);
    const button = buttonsOf(ask).find((b) => b.action_id === "forget_me_confirm");
    sequence += 1;
    const id = `forget-${sequence}`;
    await sendAction(t.target, {
      actions: [{ action_id: "forget_me_confirm", value: button?.value ?? user }],
      user: { id: user },
      channel: { id: dm(user), name: "directmessage" },
      response_url: t.fake.responseUrl(id),
    });
    return response(id);
  }

  async function subscribe(
    targetType: "user" | "channel",
    targetId: string,
    from: Date,
  ): Promise<Subscription> {
    if (targetType === "user") t.fake.setUser(targetId, { tz: ZONE });
    const { subscription } = await store.upsertSubscription({
      teamId: TEAM,
      targetType,
      targetId,
      subscribedBy: targetType === "user" ? targetId : "U0LEAD",
      schedule: SCHEDULE,
      timeZone: ZONE,
      nextPromptAt: nextPromptAt(SCHEDULE, ZONE, from),
      now: from,
    });
    return subscription;
  }

  /** Runs the pass for the subscription's next prompt; returns its delivery and the message Slack shows. */
  async function nextPrompt(subscriptionId: string, env: Record<string, string> = {}) {
    const before = await store.getSubscription(subscriptionId);
    if (!before) throw new Error("no subscription");
    const out = await pass(new Date(before.nextPromptAt.getTime() + MINUTE), env);
    const deliveries = await store.listDeliveries(subscriptionId);
    const delivery = deliveries.find((d) => d.dueAt.getTime() === before.nextPromptAt.getTime());
    if (!delivery?.channelId || !delivery.messageTs)
      throw new Error(
        `the prompt due ${before.nextPromptAt.toISOString()} was not sent: ${JSON.stringify(deliveries)} ${out}`,
      );
    return { delivery, message: current(delivery.channelId, delivery.messageTs) };
  }

  const summaryPosts = (channel: string) =>
    t.fake
      .callsTo("chat.postMessage")
      .filter(
        (c) =>
          c.error === undefined &&
          c.args.channel === channel &&
          String(c.args.text).startsWith("Team focus:"),
      );

  it("a channel of five: private answers, one summary with the counts and only opted-in names, never a note; two answers are not enough; forget-me redraws the past and leaves the future", async () => {
    const channel = "C0LEADS";
    const members = ["U0ANNA", "U0BORIS", "U0CLARA", "U0DAVID", "U0EMMA"];
    const sub = await subscribe("channel", channel, FUTURE);

    // Week 1: the prompt in the channel has both parts and says what the channel will see.
    const week1 = await nextPrompt(sub.id);
    const text1 = visibleText(week1.message);
    // The first prompt's own words are a focus question (front matter), so they are asked above the buttons.
    expect(text1).toContain("*Where did most of your week go");
    expect(text1).toContain("*Anything to add?*");
    expect(text1).toContain("never a note");
    expect(buttonsOf(week1.message).map((b) => b.action_id)).toEqual([
      "prompt_answer_narrow",
      "prompt_answer_wide",
      "prompt_answer_ic",
      "prompt_answer_skip",
      "prompt_add_note",
    ]);

    const choices = ["wide", "wide", "narrow", "ic", "wide"];
    for (const [i, user] of members.entries()) {
      const id = await click(week1.message, `prompt_answer_${choices[i]}`, user, channel);
      const confirmation = await response(id);
      // Private to the clicker; the channel message is never rewritten with anyone's answer.
      expect(confirmation.response_type).toBe("ephemeral");
      if (user === "U0ANNA" || user === "U0CLARA") {
        const named = await click(confirmation as SlackMessage, "summary_name_show", user, channel);
        expect(visibleText(await response(named))).toContain("shows your name");
      }
    }
    expect(t.fake.callsTo("chat.update").filter((c) => c.args.channel === channel)).toHaveLength(0);
    await submitNote("U0BORIS", week1.delivery.id, "SECRET: my skip-level is burning out");

    // A click with another channel's delivery id cannot opt anyone in there.
    const forged = await sendAction(t.target, {
      actions: [{ action_id: "summary_name_show", value: week1.delivery.id }],
      user: { id: "U0DAVID" },
      channel: { id: "C0ELSEWHERE", name: "random" },
      response_url: t.fake.responseUrl("forged"),
    });
    expect(forged.status).toBe(200);
    expect(visibleText(await response("forged"))).toContain("isn't yours");

    // Before the next morning: no summary. After it: exactly one, whatever the number of passes.
    await pass(new Date(week1.delivery.dueAt.getTime() + 23 * 60 * MINUTE));
    expect(summaryPosts(channel)).toHaveLength(0);
    await pass(new Date(week1.delivery.dueAt.getTime() + DAY + MINUTE));
    await pass(new Date(week1.delivery.dueAt.getTime() + DAY + 2 * MINUTE));
    expect(summaryPosts(channel)).toHaveLength(1);
    const summary1 = summaryPosts(channel)[0] as RecordedCall;
    const shown1 = visibleText(summary1.args);
    expect(shown1).toContain("5 answered · Narrow 1 · Wide 3 · IC 1 · skipped 0");
    expect(shown1).toContain("<@U0ANNA>, <@U0CLARA>");
    for (const hidden of ["U0BORIS", "U0DAVID", "U0EMMA", "SECRET", "burning"])
      expect(shown1).not.toContain(hidden);
    expect(shown1).toContain("Most of the team's week went to *Wide*");
    expect(shown1).toContain(sectionOf("wide").url ?? "");

    // Week 2: the focus check, and the week's question as the invitation to write a note.
    const week2 = await nextPrompt(sub.id);
    expect(visibleText(week2.message)).toContain("*Where did your focus go this week?*");
    expect(visibleText(week2.message)).toContain("*This week's question*");
    // Two answers are not enough; nothing about them is shown.
    await response(await click(week2.message, "prompt_answer_ic", "U0ANNA", channel));
    await response(await click(week2.message, "prompt_answer_narrow", "U0CLARA", channel));
    await pass(new Date(week2.delivery.dueAt.getTime() + DAY + MINUTE));
    expect(summaryPosts(channel)).toHaveLength(2);
    const summary2 = visibleText((summaryPosts(channel)[1] as RecordedCall).args);
    expect(summary2).toContain("Not enough answers to share this week");
    expect(summary2).not.toContain("U0ANNA");
    expect(summary2).not.toContain("Narrow 1");

    // Anna asks to be forgotten: the summaries that counted her are redrawn without her, not re-posted.
    const done = await forgetMe("U0ANNA");
    expect(visibleText(done)).toContain("redrawn without you");
    await pass(new Date(week2.delivery.dueAt.getTime() + DAY + 5 * MINUTE));
    const updates = t.fake.callsTo("chat.update").filter((c) => c.args.channel === channel);
    // Both summaries that counted her are redrawn in place (week 2 was "not enough" and stays so).
    expect(updates.map((c) => c.error)).toEqual([undefined, undefined]);
    const redrawn = visibleText((updates[0] as RecordedCall).args);
    expect(redrawn).toContain("4 answered · Narrow 1 · Wide 2 · IC 1");
    expect(redrawn).toContain("<@U0CLARA>");
    expect(redrawn).not.toContain("U0ANNA");
    expect(visibleText(current(channel, String(updates[0]?.args.ts)))).not.toContain("U0ANNA");
    expect(visibleText((updates[1] as RecordedCall).args)).toContain("Not enough answers");
    // A later pass redraws nothing more, and nothing is posted again.
    await pass(new Date(week2.delivery.dueAt.getTime() + DAY + 6 * MINUTE));
    expect(t.fake.callsTo("chat.update").filter((c) => c.args.channel === channel)).toHaveLength(2);
    expect(summaryPosts(channel)).toHaveLength(2);

    // Week 3: Anna answers again; her old choice to be named went with the rest.
    const week3 = await nextPrompt(sub.id);
    for (const [user, action] of [
      ["U0ANNA", "prompt_answer_wide"],
      ["U0CLARA", "prompt_answer_wide"],
      ["U0DAVID", "prompt_answer_ic"],
    ] as const) {
      await response(await click(week3.message, action, user, channel));
    }
    await pass(new Date(week3.delivery.dueAt.getTime() + DAY + MINUTE));
    const summary3 = visibleText((summaryPosts(channel)[2] as RecordedCall).args);
    expect(summary3).toContain("3 answered · Narrow 0 · Wide 2 · IC 1");
    expect(summary3).toContain("<@U0CLARA>");
    expect(summary3).not.toContain("U0ANNA");
    // The trend: week 1 without Anna (4), week 2 too few to split, week 3.
    expect(summary3).toMatch(
      /`\d{4}-\d\d-\d\d` 🟦🟩🟩🟧 4\n`\d{4}-\d\d-\d\d` · fewer than 3 answers\n`\d{4}-\d\d-\d\d` 🟩🟩🟧 3/,
    );
  });

  it("intended focus Wide, Narrow three weeks of four: one private nudge with both sections, none again within 30 days; the chosen answer shown, notes in Home (deleted there), the chart from the first prompt", async () => {
    const user = "U0DIANA";
    // Every prompt of these tests is in the future: the bot's own minute timer (real time) must
    // never find one of them due and record it as missed while the test drives passes with --now.
    const sub = await subscribe("user", user, FUTURE);
    const set = await command("focus wide", user);
    expect(visibleText(set)).toContain("Intended focus this quarter: *Wide*");

    const answers = ["narrow", "narrow", "wide", "narrow"];
    let first: Delivery | undefined;
    for (const [week, choice] of answers.entries()) {
      const { delivery, message } = await nextPrompt(sub.id);
      first ??= delivery;
      expect(visibleText(message)).not.toContain("On purpose, or drifting?");
      const updated = nextCall("chat.update", (c) => c.args.channel === dm(user));
      await click(message, `prompt_answer_${choice}`, user, dm(user));
      const update = await updated();
      expect(update.error).toBeUndefined();
      // The message itself now shows the choice: the chosen button marked, the others plain.
      const buttons = blocksOf(update.args).find((b) => b.block_id === "prompt_answer")?.elements ?? [];
      expect(buttons.map((b) => (b as { style?: string }).style ?? null)).toEqual(
        ["narrow", "wide", "ic", "skip"].map((c) => (c === choice ? "primary" : null)),
      );
      expect(visibleText(update.args)).toContain("thanks");
      if (week === 0) await submitNote(user, delivery.id, "Spent the week <!channel> on hiring");
    }

    // Week 5: the nudge, privately in the person's own prompt, with both levels' sections.
    const nudged = await nextPrompt(sub.id);
    const nudge = visibleText(nudged.message);
    expect(nudge).toContain("On purpose, or drifting?");
    expect(nudge).toContain("Where your weeks went: Narrow");
    expect(nudge).toContain("What you intended: Wide");
    expect(nudge).toContain(sectionOf("narrow").url ?? "");
    expect(nudge).toContain(sectionOf("wide").url ?? "");
    expect(nudged.delivery.targetType).toBe("user");
    await click(nudged.message, "prompt_answer_narrow", user, dm(user));

    // Weeks 6 to 9 (up to 28 days later), still drifting: no second nudge.
    for (let week = 6; week <= 9; week++) {
      const { message } = await nextPrompt(sub.id);
      expect(visibleText(message)).not.toContain("On purpose, or drifting?");
      await click(message, "prompt_answer_narrow", user, dm(user));
    }

    // Home: the note (as plain text, never parsed), its week and level. (That the chart starts at the
    // first prompt is checked in slack-prompts-answers.test.ts, where the prompt is this week's.)
    const home = await openHome(user);
    const homeText = visibleText({ blocks: home });
    expect(homeText).toContain("Your notes");
    const noteBlock = home.find((b) => b.text?.text === "Spent the week <!channel> on hiring");
    expect(noteBlock?.text?.type).toBe("plain_text");
    expect(homeText).toContain("Narrow");
    expect(homeText).toContain("Your intended focus this quarter:* Wide");
    expect(homeText).toContain(`Week of ${first?.dueAt.toISOString().slice(0, 8)}`);

    // Delete the note from Home: gone from the store and from the next Home.
    const deleteButton = buttonsOf({ blocks: home }).find((b) => b.action_id === "home_note_delete");
    expect(deleteButton?.value).toBe(first?.id);
    // Someone else clicking the same value deletes nothing.
    await sendAction(t.target, {
      actions: [{ action_id: "home_note_delete", value: deleteButton?.value ?? "" }],
      user: { id: "U0MALLORY" },
      view: { id: "V0HOME", type: "home" },
    });
    // (An earlier click's Home may still be on its way: wait for the one without the note.)
    const republished = nextCall(
      "views.publish",
      (c) => c.args.user_id === user && !JSON.stringify(c.args).includes("on hiring"),
    );
    await sendAction(t.target, {
      actions: [{ action_id: "home_note_delete", value: deleteButton?.value ?? "" }],
      user: { id: user },
      view: { id: "V0HOME", type: "home" },
    });
    expect(visibleText((await republished()).args)).not.toContain("on hiring");
    const answer = await store.getAnswer(first?.id ?? "", user);
    expect(answer).toMatchObject({ choice: "narrow", note: null });
  }, 240_000);

  it("RETENTION_DAYS: answers, notes and deliveries older than it are deleted by the delivery pass", async () => {
    const user = "U0RETAIN";
    const sub = await subscribe("user", user, FUTURE);
    const old = await nextPrompt(sub.id);
    await click(old.message, "prompt_answer_ic", user, dm(user));
    await t.fake.waitForCall("chat.update", (c) => c.args.channel === dm(user));
    await submitNote(user, old.delivery.id, "old note");
    const recent = await nextPrompt(sub.id);
    await store.recordAnswer({
      deliveryId: recent.delivery.id,
      teamId: TEAM,
      userId: user,
      choice: "wide",
      now: recent.delivery.dueAt,
    });

    // 30 days after the first prompt, with RETENTION_DAYS=30: the first goes, the second stays.
    const out = await pass(new Date(old.delivery.dueAt.getTime() + 30 * DAY + MINUTE), {
      RETENTION_DAYS: "30",
    });
    expect(out).toMatch(/expired [1-9]/);
    expect(await store.getAnswer(old.delivery.id, user)).toBeUndefined();
    expect(await store.getDelivery(old.delivery.id)).toBeUndefined();
    expect(await store.getAnswer(recent.delivery.id, user)).toMatchObject({ choice: "wide" });
    expect(await store.getDelivery(recent.delivery.id)).toBeDefined();
  }, 120_000);
});
