import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadLibrary, PROMPTS_FOLDER } from "../src/content/load.js";
import { loadPrompts, type Prompt } from "../src/content/prompts.js";
import { deliverDuePrompts } from "../src/prompts/deliver.js";
import { openStore } from "../src/store/open.js";
import type { Delivery, Store } from "../src/store/types.js";
import { type RecordedCall, type SlackMessage, validateBlocks } from "../test-support/fake-slack.js";
import {
  ARTICLE_URL,
  asMessage,
  type Block,
  blocksOf,
  buttonsOf,
  CONTENT_BASE_URL,
  CONTENT_DIR,
  fakeWebClient,
  parsedText,
  RENDERERS,
  settle,
  startTestBot,
  TEST_DATABASES,
  type TestBot,
  unsafeMarkup,
  visibleText,
} from "./helpers/bot.js";
import {
  appHomeOpenedEvent,
  sendAction,
  sendCommand,
  sendEvent,
  sendViewSubmission,
  TEST_TEAM_ID,
} from "./helpers/slack-requests.js";

const TEAM = TEST_TEAM_ID;
const PROMPTS = loadPrompts(join(CONTENT_DIR, PROMPTS_FOLDER));
const FIRST_PROMPT = PROMPTS[0] as Prompt;
const library = loadLibrary(CONTENT_DIR, { baseUrl: CONTENT_BASE_URL });
const ANSWER_ACTIONS = [
  "prompt_answer_narrow",
  "prompt_answer_wide",
  "prompt_answer_ic",
  "prompt_answer_skip",
];
const ANSWER_LABELS = ["Mostly Narrow", "Mostly Wide", "Mostly IC", "Skip this week"];

const dm = (user: string) => `D${user}`;
const escaped = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function localParts(date: Date, timeZone: string): { weekday: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return { weekday: String(parts.weekday), time: `${parts.hour}:${parts.minute}` };
}

/**
 * A zone and a schedule whose next prompt comes later today there, whatever the hour of the run:
 * the answer then belongs to this week, which Home charts. (Of two zones nine hours apart, at
 * least one is not in its last half hour of the day.)
 */
function laterToday(): { timeZone: string; command: string; weekday: string; time: string } {
  const soon = new Date(Date.now() + 30 * 60_000);
  for (const timeZone of ["Europe/Berlin", "America/Los_Angeles"]) {
    const now = localParts(new Date(), timeZone);
    const then = localParts(soon, timeZone);
    if (now.weekday === then.weekday) {
      return {
        timeZone,
        command: `subscribe ${then.weekday.toLowerCase()} ${then.time}`,
        ...then,
      };
    }
  }
  throw new Error("unreachable: two zones nine hours apart cannot both be near midnight");
}

describe.each(TEST_DATABASES)("weekly prompts sent, answered and charted ($name)", ({ postgresUrl }) => {
  let t: TestBot;
  let store: Store;
  let sequence = 0;

  // A bot and database of its own per test: a delivery pass sends everything due, whoever made it.
  beforeEach(async () => {
    t = await startTestBot(postgresUrl ? { postgresUrl } : {});
    store = await openStore(t.databasePath);
  });
  afterEach(async () => {
    await store?.close();
    await t?.stop();
  });

  const mine = (user: string) => store.findSubscription({ teamId: TEAM, targetType: "user", targetId: user });

  async function command(text: string, user: string, channel = dm(user)) {
    sequence += 1;
    const id = `command-${sequence}`;
    const response = await sendCommand(t.target, {
      text,
      user_id: user,
      channel_id: channel,
      response_url: t.fake.responseUrl(id),
    });
    expect(response.status).toBe(200);
    return asMessage((await t.fake.waitForResponse((r) => r.id === id)).body);
  }

  /** Waits for the next call to `method` made after this was called. */
  function nextCall(method: string, predicate: (call: RecordedCall) => boolean = () => true) {
    const earlier = new Set(t.fake.callsTo(method));
    return () => t.fake.waitForCall(method, (call) => !earlier.has(call) && predicate(call));
  }

  function deliverAt(now: Date, prompts: readonly Prompt[] = PROMPTS) {
    return deliverDuePrompts({
      store,
      client: fakeWebClient(t.fake),
      prompts,
      ...RENDERERS,
      now,
      instanceId: "test-pass",
    });
  }

  /** Subscribes `user` by DM for later today, delivers the prompt when due; returns what was sent. */
  async function subscribeAndDeliver(user: string, prompts: readonly Prompt[] = PROMPTS) {
    const plan = laterToday();
    t.fake.setUser(user, { tz: plan.timeZone });
    await command(plan.command, user);
    const subscription = await mine(user);
    if (!subscription) throw new Error(`${plan.command} did not subscribe ${user}`);
    expect(localParts(subscription.nextPromptAt, plan.timeZone)).toEqual({
      weekday: plan.weekday,
      time: plan.time,
    });
    const report = await deliverAt(subscription.nextPromptAt, prompts);
    expect(report).toMatchObject({ claimed: 1, sent: 1, retried: 0, failed: 0, paused: 0, errors: 0 });
    const [delivery] = await store.listDeliveries(subscription.id);
    if (!delivery?.messageTs) throw new Error(`no sent delivery for ${user}`);
    const message = t.fake.thread(dm(user), delivery.messageTs)?.[0];
    if (!message) throw new Error(`the fake has no message ${delivery.messageTs} in ${dm(user)}`);
    return { plan, subscription, delivery, message };
  }

  /** The message as Slack now shows it (after any chat.update). */
  function current(channel: string, delivery: Delivery): SlackMessage {
    const message = t.fake.thread(channel, delivery.messageTs ?? "")?.[0];
    if (!message) throw new Error(`no message ${delivery.messageTs} in ${channel}`);
    return message;
  }

  /** Clicks a button of a message in a conversation, as Slack sends it: with the message and channel. */
  async function clickMessage(
    message: SlackMessage,
    actionId: string,
    user: string,
    channel: string,
    options: { responseId?: string; triggerId?: string } = {},
  ): Promise<void> {
    const button = buttonsOf(message).find((b) => b.action_id === actionId);
    if (!button) throw new Error(`no ${actionId} button in ${JSON.stringify(message).slice(0, 400)}`);
    const ts = String(message.ts);
    const response = await sendAction(t.target, {
      actions: [{ action_id: actionId, block_id: button.block_id || undefined, value: button.value }],
      user: { id: user },
      channel: { id: channel, name: channel.startsWith("D") ? "directmessage" : "team-leads" },
      message,
      container: { type: "message", message_ts: ts, channel_id: channel, is_ephemeral: false },
      response_url: t.fake.responseUrl(options.responseId),
      ...(options.triggerId ? { trigger_id: options.triggerId } : {}),
    });
    expect(response.status).toBe(200);
    expect(response.text).toBe("");
  }

  /** Answers a person's own prompt; returns the chat.update that confirmed it. */
  async function answerDm(user: string, delivery: Delivery, actionId: string): Promise<RecordedCall> {
    const updated = nextCall("chat.update", (call) => call.args.channel === dm(user));
    const home = nextCall("views.publish", (call) => call.args.user_id === user);
    await clickMessage(current(dm(user), delivery), actionId, user, dm(user));
    const call = await updated();
    expect(call.error).toBeUndefined();
    // Home follows every answer.
    expect((await home()).error).toBeUndefined();
    return call;
  }

  async function openHome(user: string): Promise<Block[]> {
    const published = nextCall("views.publish", (call) => call.args.user_id === user);
    const response = await sendEvent(t.target, appHomeOpenedEvent(user));
    expect(response.status).toBe(200);
    const call = await published();
    expect(call.error).toBeUndefined();
    return blocksOf((call.args as { view: unknown }).view);
  }

  function submitNote(user: string, deliveryId: string, note: string) {
    return sendViewSubmission(t.target, {
      callback_id: "prompt_note",
      private_metadata: deliveryId,
      user: { id: user },
      values: { note: { note: { type: "plain_text_input", value: note } } },
    });
  }

  it("end to end: one prompt by DM, answered, changed, noted, and charted on Home", async () => {
    const user = "U0E2E";
    const { plan, subscription, delivery, message } = await subscribeAndDeliver(user);

    // Exactly one message, to the person, with the first prompt and four buttons for this delivery.
    const posts = t.fake.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    const post = posts[0] as RecordedCall;
    expect(post.error).toBeUndefined();
    expect(post.args.channel).toBe(user);
    expect(post.args.text).toBe(`Your weekly focus reflection: ${escaped(FIRST_PROMPT.text)}`);
    const blocks = blocksOf(post.args);
    expect(blocks[0]?.text?.text).toBe("*Your weekly focus reflection*");
    // The first prompt's wording is itself a focus question (front matter): it is asked above the buttons.
    expect(FIRST_PROMPT.focusQuestion).toBe(true);
    expect(blocks[1]).toMatchObject({
      block_id: "prompt_focus",
      text: { text: `*${escaped(FIRST_PROMPT.text)}*` },
    });
    const actions = blocks.find((b) => b.type === "actions");
    expect(actions?.block_id).toBe("prompt_answer");
    expect((actions?.elements ?? []).map((e) => (e.text as { text: string }).text)).toEqual(ANSWER_LABELS);
    expect(buttonsOf(post.args)).toEqual([
      ...ANSWER_ACTIONS.map((action_id) => ({ action_id, value: delivery.id, block_id: "prompt_answer" })),
      { action_id: "prompt_add_note", value: delivery.id, block_id: "prompt_question" },
    ]);
    expect(delivery).toMatchObject({
      subscriptionId: subscription.id,
      targetType: "user",
      targetId: user,
      status: "sent",
      promptId: FIRST_PROMPT.id,
      dueAt: subscription.nextPromptAt,
      channelId: dm(user),
      messageTs: message.ts,
    });

    // “Mostly Wide”: the message itself confirms it, with a way to add a note.
    const wide = await answerDm(user, delivery, "prompt_answer_wide");
    expect(wide.args).toMatchObject({ channel: dm(user), ts: message.ts, text: post.args.text });
    const afterWide = blocksOf(wide.args);
    const answersAt = blocks.findIndex((b) => b.block_id === "prompt_answer");
    expect(afterWide.slice(0, answersAt)).toEqual(blocks.slice(0, answersAt));
    expect(afterWide.slice(answersAt + 2)).toEqual(blocks.slice(answersAt + 1));
    // The chosen button is marked, the others are not.
    expect(
      (afterWide[answersAt]?.elements ?? []).map((e) => (e as { style?: string }).style ?? null),
    ).toEqual([null, "primary", null, null]);
    expect(afterWide[answersAt + 1]).toEqual({
      type: "context",
      block_id: "prompt_answer_confirmation",
      elements: [
        {
          type: "mrkdwn",
          text: "You answered *Mostly Wide* — thanks. Change it any time with the buttons.",
        },
      ],
    });
    expect(buttonsOf(wide.args).slice(4)).toEqual([
      { action_id: "prompt_add_note", value: delivery.id, block_id: "prompt_question" },
    ]);
    expect(afterWide).toHaveLength(blocks.length + 1);
    expect(await store.getAnswer(delivery.id, user)).toMatchObject({
      teamId: TEAM,
      choice: "wide",
      note: null,
      promptId: FIRST_PROMPT.id,
      dueAt: delivery.dueAt,
    });
    // Nothing ephemeral and no second message: the prompt message is the one place it shows.
    expect(t.fake.responses.filter((r) => !r.id.startsWith("command-"))).toEqual([]);
    expect(t.fake.callsTo("chat.postMessage")).toHaveLength(1);

    // Another choice replaces the answer and the confirmation; nothing piles up.
    const ic = await answerDm(user, delivery, "prompt_answer_ic");
    const afterIc = blocksOf(ic.args);
    expect(afterIc).toHaveLength(blocks.length + 1);
    expect(afterIc.filter((b) => b.block_id === "prompt_answer_confirmation")).toHaveLength(1);
    expect(visibleText(ic.args)).toContain("You answered *Mostly IC*");
    expect(visibleText(ic.args)).not.toContain("Mostly Wide* —");
    expect(buttonsOf(ic.args).filter((b) => b.action_id === "prompt_add_note")).toHaveLength(1);
    expect(await store.getAnswer(delivery.id, user)).toMatchObject({ choice: "ic", note: null });

    // “Add a note” opens a modal for this delivery.
    await clickMessage(current(dm(user), delivery), "prompt_add_note", user, dm(user), {
      triggerId: "trigger-note",
    });
    const opened = await t.fake.waitForCall("views.open");
    expect(opened.error).toBeUndefined();
    expect(opened.args.trigger_id).toBe("trigger-note");
    const modal = opened.args.view as Record<string, unknown>;
    expect(modal).toMatchObject({ type: "modal", callback_id: "prompt_note", private_metadata: delivery.id });
    expect(blocksOf(modal)[0]).toMatchObject({
      type: "input",
      block_id: "note",
      element: { type: "plain_text_input", action_id: "note", multiline: true },
    });

    const saved = await submitNote(user, delivery.id, "  Spent most of the week hiring for two teams.  ");
    expect(saved.status).toBe(200);
    expect(saved.text).toBe("");
    expect(await store.getAnswer(delivery.id, user)).toMatchObject({
      choice: "ic",
      note: "Spent most of the week hiring for two teams.",
    });
    // Choosing again keeps the note.
    await answerDm(user, delivery, "prompt_answer_narrow");
    await answerDm(user, delivery, "prompt_answer_ic");
    expect(await store.getAnswer(delivery.id, user)).toMatchObject({
      choice: "ic",
      note: "Spent most of the week hiring for two teams.",
    });

    // Home: the schedule, this week's answer in the chart, the counts, and the IC guidance.
    const home = await openHome(user);
    const text = visibleText({ blocks: home });
    expect(text).toContain(`every ${laterTodayName(plan.weekday)} ${plan.time}`);
    // The chart starts at the first prompt: this week, not eleven empty weeks before it.
    const chart = home.find((b) => b.text?.text.startsWith("*Your last week*"));
    expect(chart).toBeDefined();
    const lines = (chart?.text?.text ?? "").split("\n");
    const rows = lines.filter((line) => line.startsWith("`"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^`\d{4}-\d{2}-\d{2}` 🟧 Mostly IC$/);
    expect(lines.at(-1)).toBe("Narrow 0 · Wide 0 · IC 1 · skipped 0");
    const ic_ = library.sections.find((s) => s.level === "ic");
    const guidance = home.find((b) => b.type === "context");
    expect(guidance?.elements?.[0]?.text).toBe(
      `Mostly *IC* lately. The article: ${escaped(ic_?.summary ?? "")} <${ARTICLE_URL}#ic|Read more>`,
    );
    // The note comes back, in Home only, with its week and level, and can be edited or deleted there.
    expect(text).toContain("Spent most of the week hiring for two teams.");
    expect(
      buttonsOf({ blocks: home })
        .filter((b) => b.value === delivery.id)
        .map((b) => b.action_id),
    ).toEqual(["home_note_edit", "home_note_delete"]);
  });

  /** "Wed" → "Wednesday", as the app writes schedules. */
  function laterTodayName(short: string): string {
    const names = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    return names.find((name) => name.startsWith(short)) ?? short;
  }

  it("“Skip this week” confirms and keeps the week's question open for a note; Home counts it without guidance", async () => {
    const user = "U0SKIPS";
    const { delivery } = await subscribeAndDeliver(user);
    const skipped = await answerDm(user, delivery, "prompt_answer_skip");
    expect(visibleText(skipped.args)).toContain("Skipped this week — thanks.");
    // The focus check is skipped; the reflective question is its own part and may still get a note.
    expect(buttonsOf(skipped.args).map((b) => b.action_id)).toEqual([...ANSWER_ACTIONS, "prompt_add_note"]);
    expect(await store.getAnswer(delivery.id, user)).toMatchObject({ choice: "skip" });

    const home = await openHome(user);
    const text = visibleText({ blocks: home });
    expect(text).toMatch(/` ⬜ Skip this week/);
    expect(text).toContain("Narrow 0 · Wide 0 · IC 0 · skipped 1");
    expect(text).not.toContain("lately. The article");
  });

  it("Home before any answer shows the subscription but no chart", async () => {
    const user = "U0NOANSWER";
    await subscribeAndDeliver(user);
    const home = await openHome(user);
    const text = visibleText({ blocks: home });
    expect(text).toContain("• you, by direct message — every");
    expect(text).not.toContain("Your last 12 weeks");
    expect(buttonsOf({ blocks: home }).map((b) => b.action_id)).toEqual([
      "home_schedule",
      "home_stop",
      "home_intend_narrow",
      "home_intend_wide",
      "home_intend_ic",
    ]);
  });

  it("refuses a note before there is an answer, in the modal, and stores nothing", async () => {
    const user = "U0EARLYNOTE";
    const { delivery } = await subscribeAndDeliver(user);
    for (const deliveryId of [delivery.id, "no-such-delivery"]) {
      const response = await submitNote(user, deliveryId, "A note without an answer");
      expect(response.status).toBe(200);
      expect(response.json).toEqual({
        response_action: "errors",
        errors: { note: "Choose Narrow, Wide or IC on the prompt first." },
      });
    }
    expect(await store.getAnswer(delivery.id, user)).toBeUndefined();
  });

  it("an empty note removes the one given before", async () => {
    const user = "U0UNNOTE";
    const { delivery } = await subscribeAndDeliver(user);
    await answerDm(user, delivery, "prompt_answer_narrow");
    await submitNote(user, delivery.id, "first thoughts");
    expect((await store.getAnswer(delivery.id, user))?.note).toBe("first thoughts");
    await submitNote(user, delivery.id, "   ");
    expect(await store.getAnswer(delivery.id, user)).toMatchObject({ choice: "narrow", note: null });
  });

  it("a channel prompt answered by two people: each is confirmed privately and both answers are stored", async () => {
    const lead = "U0TEAMLEAD";
    const member = "U0MEMBER";
    const channel = "C0REFLECT";
    t.fake.setUser(lead, { tz: "Europe/Berlin" });
    t.fake.setChannel(channel, { is_member: true, name: "team-leads" });
    const confirm = await command("subscribe", lead, channel);
    const value = buttonsOf(confirm).find((b) => b.action_id === "subscribe_channel")?.value;
    const subscribed = `subscribed-${++sequence}`;
    await sendAction(t.target, {
      actions: [{ action_id: "subscribe_channel", value }],
      user: { id: lead },
      channel: { id: channel, name: "team-leads" },
      response_url: t.fake.responseUrl(subscribed),
    });
    await t.fake.waitForResponse((r) => r.id === subscribed);
    const subscription = await store.findSubscription({
      teamId: TEAM,
      targetType: "channel",
      targetId: channel,
    });
    if (!subscription) throw new Error("the channel was not subscribed");

    expect(await deliverAt(subscription.nextPromptAt)).toMatchObject({ sent: 1, errors: 0 });
    const [post] = t.fake.callsTo("chat.postMessage");
    expect(post?.args.channel).toBe(channel);
    expect(post?.args.text).toBe(`Team focus reflection: ${escaped(FIRST_PROMPT.text)}`);
    const [delivery] = await store.listDeliveries(subscription.id);
    if (!delivery) throw new Error("no delivery");
    expect(delivery).toMatchObject({ targetType: "channel", channelId: channel, status: "sent" });
    const message = current(channel, delivery);

    for (const [user, actionId, label] of [
      [lead, "prompt_answer_wide", "Mostly Wide"],
      [member, "prompt_answer_narrow", "Mostly Narrow"],
    ] as const) {
      const home = nextCall("views.publish", (call) => call.args.user_id === user);
      await clickMessage(message, actionId, user, channel, { responseId: `answer-${user}` });
      const confirmation = await t.fake.waitForResponse((r) => r.id === `answer-${user}`);
      expect(confirmation.body).toMatchObject({
        response_type: "ephemeral",
        replace_original: false,
        text: `You answered *${label}* — thanks. Change it any time with the buttons.`,
      });
      expect(validateBlocks(confirmation.body.blocks, 50)).toEqual([]);
      expect(buttonsOf(confirmation.body).map((b) => [b.action_id, b.value])).toEqual([
        ["prompt_add_note", delivery.id],
        ["summary_name_show", delivery.id],
      ]);
      await home();
    }
    // The shared message is left as it is for everyone else.
    expect(t.fake.callsTo("chat.update")).toEqual([]);
    expect(current(channel, delivery).edited).toBeUndefined();
    expect(await store.getAnswer(delivery.id, lead)).toMatchObject({ choice: "wide", userId: lead });
    expect(await store.getAnswer(delivery.id, member)).toMatchObject({ choice: "narrow", userId: member });
  });

  it.each([
    { name: "the message is gone", failure: { error: "message_not_found" } },
    { name: "Slack rate-limits the update", failure: { status: 429 } },
  ])("confirms privately, keeping the answer, when $name", async ({ failure }) => {
    const user = "U0NOUPDATE";
    const { delivery, message } = await subscribeAndDeliver(user);
    t.fake.failNext("chat.update", failure);
    const home = nextCall("views.publish", (call) => call.args.user_id === user);
    await clickMessage(message, "prompt_answer_wide", user, dm(user), { responseId: "fallback" });
    const reply = await t.fake.waitForResponse((r) => r.id === "fallback");
    expect(t.fake.callsTo("chat.update")).toHaveLength(1);
    expect(reply.body).toMatchObject({
      response_type: "ephemeral",
      replace_original: false,
      text: "You answered *Mostly Wide* — thanks. Change it any time with the buttons.",
    });
    expect(buttonsOf(reply.body).map((b) => [b.action_id, b.value])).toEqual([
      ["prompt_add_note", delivery.id],
    ]);
    expect(await store.getAnswer(delivery.id, user)).toMatchObject({ choice: "wide" });
    await home();
  });

  it("says a prompt is gone, and stores nothing, when its delivery no longer exists", async () => {
    const user = "U0GONE";
    const { delivery, message } = await subscribeAndDeliver(user);
    expect((await store.forgetUser(TEAM, user)).deliveries).toBe(1);

    await clickMessage(message, "prompt_answer_wide", user, dm(user), { responseId: "gone" });
    const gone = await t.fake.waitForResponse((r) => r.id === "gone");
    expect(gone.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(gone.body.text)).toContain("That prompt is no longer stored");
    await settle();
    expect(t.fake.callsTo("chat.update")).toEqual([]);
    expect(await store.getAnswer(delivery.id, user)).toBeUndefined();
  });

  it("does not take answers from another workspace", async () => {
    const user = "U0OTHERTEAM";
    const { delivery, message } = await subscribeAndDeliver(user);
    await sendAction(t.target, {
      actions: [{ action_id: "prompt_answer_ic", block_id: "prompt_answer", value: delivery.id }],
      user: { id: user, team_id: "T0OTHER" },
      team: { id: "T0OTHER", domain: "other" },
      channel: { id: dm(user), name: "directmessage" },
      message,
      response_url: t.fake.responseUrl("other-team"),
    });
    const reply = await t.fake.waitForResponse((r) => r.id === "other-team");
    expect(String(reply.body.text)).toContain("no longer stored");
    expect(await store.getAnswer(delivery.id, user)).toBeUndefined();
  });

  describe("markup safety", () => {
    it("never echoes a note with <!channel> or links, anywhere Slack would parse it", async () => {
      const user = "U0NOTEMARKUP";
      const { delivery } = await subscribeAndDeliver(user);
      await answerDm(user, delivery, "prompt_answer_wide");
      const note = "<!channel> read <https://evil.example|this> & ping <@U0BOSS> <!subteam^S0LEADS>";
      expect((await submitNote(user, delivery.id, note)).text).toBe("");
      expect((await store.getAnswer(delivery.id, user))?.note).toBe(note);
      await answerDm(user, delivery, "prompt_answer_ic");
      await openHome(user);

      for (const call of t.fake.calls) {
        expect(unsafeMarkup(call.args, { forbiddenHosts: ["evil.example"] }), call.method).toEqual([]);
        // The note comes back in Home alone, as plain text, which Slack never parses.
        const shown =
          call.method === "views.publish"
            ? JSON.stringify(call.args).replace(JSON.stringify({ type: "plain_text", text: note }), "")
            : JSON.stringify(call.args);
        expect(shown, call.method).not.toContain("evil.example");
      }
      for (const response of t.fake.responses) {
        expect(unsafeMarkup(response.body, { forbiddenHosts: ["evil.example"] })).toEqual([]);
      }
    });

    it("escapes markup in a prompt's own text, in the blocks and the notification text", async () => {
      const user = "U0PROMPTMARKUP";
      const hostile: Prompt = {
        id: "hostile",
        order: 1,
        level: null,
        text: "Did R&D <!channel> get <@U0BOSS> what <https://evil.example|they> needed?",
      };
      await subscribeAndDeliver(user, [hostile]);
      const [post] = t.fake.callsTo("chat.postMessage");
      expect(unsafeMarkup(post?.args, { forbiddenHosts: ["evil.example"] })).toEqual([]);
      for (const text of parsedText(post?.args)) expect(text).not.toContain("<!channel>");
      expect(visibleText(post?.args)).toContain(escaped(hostile.text));
    });
  });
});
