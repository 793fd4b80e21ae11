import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack, validateBlocks } from "../test-support/fake-slack.js";
import { fakeWebClient } from "./helpers/bot.js";
import { nextTs } from "./helpers/slack-requests.js";

/** The fake refuses assistant.threads.* calls the way Slack documents it does. */
describe("fake Slack: assistant.threads.*", () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await fake?.close();
  });

  const client = () => fakeWebClient(fake);
  const thread = () => ({ channel_id: "DU0ASKER", thread_ts: nextTs() });
  const prompt = (n: number) => ({ title: `Title ${n}`, message: `Question ${n}?` });

  async function errorOf(call: Promise<unknown>): Promise<string> {
    try {
      await call;
    } catch (error) {
      return String((error as { data?: { error?: string } }).data?.error);
    }
    return "ok";
  }

  it("accepts well-formed calls and keeps status and title per thread", async () => {
    const t = thread();
    await client().assistant.threads.setStatus({
      ...t,
      status: "is thinking…",
      loading_messages: ["a", "b"],
    });
    expect(fake.assistantStatus(t.channel_id, t.thread_ts)).toBe("is thinking…");
    await client().assistant.threads.setTitle({ ...t, title: "A title" });
    expect(fake.assistantTitle(t.channel_id, t.thread_ts)).toBe("A title");
    await client().assistant.threads.setSuggestedPrompts({
      ...t,
      title: "Try",
      prompts: [1, 2, 3, 4].map(prompt),
    });
    expect(fake.callsTo("assistant.threads.setSuggestedPrompts")[0]?.args.prompts).toHaveLength(4);
    // An empty status clears it; so does the app's reply in the thread.
    await client().assistant.threads.setStatus({ ...t, status: "" });
    expect(fake.assistantStatus(t.channel_id, t.thread_ts)).toBe("");
    await client().assistant.threads.setStatus({ ...t, status: "again" });
    await client().chat.postMessage({ channel: t.channel_id, thread_ts: t.thread_ts, text: "answer" });
    expect(fake.assistantStatus(t.channel_id, t.thread_ts)).toBeUndefined();
  });

  it.each([
    ["setStatus without channel_id", "setStatus", { thread_ts: "1.2", status: "x" }, "invalid_arguments"],
    ["setStatus without thread_ts", "setStatus", { channel_id: "DU0A", status: "x" }, "invalid_arguments"],
    ["setStatus without status", "setStatus", { channel_id: "DU0A", thread_ts: "1.2" }, "invalid_arguments"],
    [
      "setStatus with 11 loading messages",
      "setStatus",
      { channel_id: "DU0A", thread_ts: "1.2", status: "x", loading_messages: Array(11).fill("m") },
      "invalid_arguments",
    ],
    [
      "setStatus in a channel",
      "setStatus",
      { channel_id: "C0TEST", thread_ts: "1.2", status: "x" },
      "channel_not_found",
    ],
    [
      "setTitle with a bad thread_ts",
      "setTitle",
      { channel_id: "DU0A", thread_ts: "nope", title: "x" },
      "invalid_thread_ts",
    ],
    [
      "setTitle without a title",
      "setTitle",
      { channel_id: "DU0A", thread_ts: "1.2", title: "" },
      "invalid_arguments",
    ],
    [
      "five prompts",
      "setSuggestedPrompts",
      { channel_id: "DU0A", thread_ts: "1.2", prompts: [1, 2, 3, 4, 5].map(prompt) },
      "invalid_arguments",
    ],
    [
      "no prompts",
      "setSuggestedPrompts",
      { channel_id: "DU0A", thread_ts: "1.2", prompts: [] },
      "invalid_arguments",
    ],
    [
      "a prompt without a message",
      "setSuggestedPrompts",
      { channel_id: "DU0A", thread_ts: "1.2", prompts: [{ title: "T", message: "" }] },
      "invalid_arguments",
    ],
    [
      "prompts without thread_ts",
      "setSuggestedPrompts",
      { channel_id: "DU0A", prompts: [prompt(1)] },
      "invalid_arguments",
    ],
  ])("refuses %s", async (_name, method, args, error) => {
    const call = client().apiCall(`assistant.threads.${method}`, args as Record<string, unknown>);
    expect(await errorOf(call)).toBe(error);
  });

  describe("under agent_view (the Messages tab)", () => {
    it("pins prompts to the DM without a thread_ts", async () => {
      fake.setMessagingExperience("agent_view");
      await client().assistant.threads.setSuggestedPrompts({
        channel_id: "DU0ASKER",
        title: "Try",
        prompts: [prompt(1), prompt(2)],
      });
      expect(fake.messagesTabPrompts("DU0ASKER")).toEqual({ title: "Try", prompts: [prompt(1), prompt(2)] });
      // A thread's prompts still work as in the panel.
      await client().assistant.threads.setSuggestedPrompts({ ...thread(), prompts: [prompt(3)] });
      fake.reset();
      expect(fake.messagesTabPrompts("DU0ASKER")).toBeUndefined();
    });

    it.each([
      ["in a channel", { channel_id: "C0TEST", prompts: [prompt(1)] }, "channel_not_found"],
      ["without channel_id", { prompts: [prompt(1)] }, "invalid_arguments"],
      ["five prompts", { channel_id: "DU0A", prompts: [1, 2, 3, 4, 5].map(prompt) }, "invalid_arguments"],
      [
        "a prompt without a title",
        { channel_id: "DU0A", prompts: [{ title: "", message: "M" }] },
        "invalid_arguments",
      ],
    ])("refuses prompts without a thread %s", async (_name, args, error) => {
      fake.setMessagingExperience("agent_view");
      const call = client().apiCall("assistant.threads.setSuggestedPrompts", args as Record<string, unknown>);
      expect(await errorOf(call)).toBe(error);
      expect(fake.messagesTabPrompts("DU0A")).toBeUndefined();
    });
  });

  it("checks context_actions and feedback_buttons in messages", () => {
    const feedback = (positive: unknown) => ({
      type: "feedback_buttons",
      action_id: "f",
      positive_button: positive,
      negative_button: { text: { type: "plain_text", text: "👎" }, value: "n" },
    });
    const ok = feedback({ text: { type: "plain_text", text: "👍" }, value: "p" });
    expect(validateBlocks([{ type: "context_actions", elements: [ok] }], 50)).toEqual([]);
    expect(validateBlocks([{ type: "context_actions", elements: Array(6).fill(ok) }], 50).join()).toContain(
      "no more than 5 items",
    );
    expect(validateBlocks([{ type: "context_actions", elements: [] }], 50)).not.toEqual([]);
    expect(
      validateBlocks(
        [
          {
            type: "context_actions",
            elements: [feedback({ text: { type: "mrkdwn", text: "x" }, value: "p" })],
          },
        ],
        50,
      ),
    ).not.toEqual([]);
    expect(
      validateBlocks(
        [{ type: "context_actions", elements: [feedback({ text: { type: "plain_text", text: "x" } })] }],
        50,
      ),
    ).not.toEqual([]);
    expect(validateBlocks([{ type: "context_actions", elements: [{ type: "button" }] }], 50)).not.toEqual([]);
  });
});
