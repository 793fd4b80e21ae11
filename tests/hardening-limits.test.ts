import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../src/store/open.js";
import type { Store } from "../src/store/types.js";
import { validateBlocks } from "../test-support/fake-slack.js";
import {
  asMessage,
  buttonsOf,
  startTestBot,
  TEST_DATABASES,
  type TestBot,
  textFields,
} from "./helpers/bot.js";
import { answeredDelivery } from "./helpers/deliveries.js";
import { sendAction, sendCommand, sendViewSubmission, TEST_TEAM_ID } from "./helpers/slack-requests.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: what the test looks for
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const HOSTILE = "a\u0000b\u001b[31mc\u0007d\u007f";

/** Every text within Slack's limits and no control character echoed or stored (issue 9, item 9). */
describe.each(TEST_DATABASES)("long and odd input ($name)", ({ postgresUrl }) => {
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

  async function command(text: string, user = "U0LONG") {
    const id = `long-${++sequence}`;
    const response = await sendCommand(t.target, {
      text,
      user_id: user,
      channel_id: `D${user}`,
      response_url: t.fake.responseUrl(id),
    });
    expect(response.status).toBe(200);
    return { ack: response.json, response: () => t.fake.waitForResponse((r) => r.id === id) };
  }

  function expectWithinLimits(body: unknown): void {
    const message = asMessage(body);
    if (message.blocks !== undefined) expect(validateBlocks(message.blocks, 50)).toEqual([]);
    for (const field of textFields(body)) expect(field.text, field.path).not.toMatch(CONTROL);
  }

  it("answers `/em-focus subscribe` followed by 40,000 characters briefly, saying what it did not understand", async () => {
    const { response } = await command(`subscribe ${"x".repeat(40_000)}`);
    const reply = asMessage((await response()).body);
    expectWithinLimits(reply);
    expect(String(reply.text)).toContain("I couldn't read");
    expect(String(reply.text).length).toBeLessThan(400);
    expect(await store.listSubscriptionsForUser(TEST_TEAM_ID, "U0LONG")).toEqual([]);
  });

  it("answers a 40,000-character question within Slack's limits", async () => {
    const { ack } = await command(`${"how do I grow my team when I miss coding ".repeat(1_000)}`);
    expectWithinLimits(ack);
  });

  it("strips control characters before echoing a question or a schedule", async () => {
    const asked = await command(`I miss coding ${HOSTILE}, should I go back?`);
    expectWithinLimits(asked.ack);
    expect(JSON.stringify(asked.ack)).toContain("You asked");
    const schedule = await command(`subscribe ${HOSTILE}`);
    const reply = asMessage((await schedule.response()).body);
    expectWithinLimits(reply);
    expect(String(reply.text)).toContain('"ab[31mcd"');
  });

  it("strips control characters from a button value before echoing it", async () => {
    const asked = await command("I miss coding, should I go back?");
    const share = buttonsOf(asked.ack).find((b) => b.action_id === "answer_share");
    const ref = JSON.parse(share?.value ?? "{}") as { q?: string };
    const forged = JSON.stringify({ ...ref, q: `I miss coding ${HOSTILE}` });
    await sendAction(t.target, {
      actions: [{ action_id: "answer_share", value: forged }],
      user: { id: "U0LONG" },
      response_url: t.fake.responseUrl("shared"),
    });
    const shared = await t.fake.waitForResponse(
      (r) => r.id === "shared" && r.body.response_type === "in_channel",
    );
    expectWithinLimits(shared.body);
    expect(JSON.stringify(shared.body)).toContain("ab[31mcd");
  });

  it("strips control characters before storing a note", async () => {
    const user = "U0NOTE";
    const delivery = await answeredDelivery(store, TEST_TEAM_ID, user);
    const response = await sendViewSubmission(t.target, {
      callback_id: "prompt_note",
      private_metadata: delivery.id,
      user: { id: user },
      values: { note: { note: { type: "plain_text_input", value: `first line\n${HOSTILE}` } } },
    });
    expect(response.status).toBe(200);
    expect(response.json).toBeUndefined();
    expect((await store.getAnswer(delivery.id, user))?.note).toBe("first line\nab[31mcd");
  });
});
