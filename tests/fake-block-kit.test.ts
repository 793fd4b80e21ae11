import { LogLevel } from "@slack/bolt";
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateBlocks, validateView } from "../test-support/block-kit.js";
import { type FakeSlack, startFakeSlack } from "../test-support/fake-slack.js";

/** The fake must refuse what Slack refuses, or the app's broken views pass the tests unseen. */
describe("the fake Slack refuses Block Kit that Slack refuses", () => {
  const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });
  const modal = (fields: Record<string, unknown> = {}) => ({
    type: "modal",
    title: { type: "plain_text", text: "A note for this week" },
    blocks: [section("ok")],
    ...fields,
  });

  it("refuses empty text objects, and mrkdwn where only plain_text goes", () => {
    expect(validateBlocks([section("ok")], 50)).toEqual([]);
    expect(validateBlocks([section("")], 50).join()).toMatch(
      /more than 0 characters.*\/blocks\/0\/text\/text/,
    );
    expect(validateBlocks([{ type: "header", text: { type: "mrkdwn", text: "x" } }], 50).join()).toMatch(
      /plain_text/,
    );
    const button = (text: string) => ({
      type: "actions",
      elements: [{ type: "button", action_id: "a", text: { type: "plain_text", text } }],
    });
    expect(validateBlocks([button("Go")], 50)).toEqual([]);
    expect(validateBlocks([button("")], 50)).not.toEqual([]);
  });

  it("refuses a context block with no element, more than 10, or an empty one", () => {
    const context = (texts: string[]) => ({
      type: "context",
      elements: texts.map((text) => ({ type: "mrkdwn", text })),
    });
    expect(validateBlocks([context(["a"])], 50)).toEqual([]);
    expect(validateBlocks([context([])], 50)).not.toEqual([]);
    expect(validateBlocks([context(Array(11).fill("a"))], 50)).not.toEqual([]);
    expect(validateBlocks([context(["a", ""])], 50).join()).toMatch(/\/blocks\/0\/elements\/1\/text/);
    expect(validateBlocks([context(["a".repeat(3001)])], 50)).not.toEqual([]);
  });

  it("checks select options, input labels and confirmation dialogs", () => {
    const select = (text: string, value: string) => ({
      type: "input",
      label: { type: "plain_text", text: "Day" },
      element: {
        type: "static_select",
        action_id: "d",
        options: [{ text: { type: "plain_text", text }, value }],
      },
    });
    expect(validateBlocks([select("Monday", "1")], 100)).toEqual([]);
    expect(validateBlocks([select("x".repeat(76), "1")], 100)).not.toEqual([]);
    expect(validateBlocks([select("Monday", "1".repeat(151))], 100)).not.toEqual([]);
    const confirmed = (title: string) => ({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: "a",
          text: { type: "plain_text", text: "Stop" },
          confirm: {
            title: { type: "plain_text", text: title },
            text: { type: "plain_text", text: "Sure?" },
            confirm: { type: "plain_text", text: "Yes" },
            deny: { type: "plain_text", text: "No" },
          },
        },
      ],
    });
    expect(validateBlocks([confirmed("Stop?")], 50)).toEqual([]);
    expect(validateBlocks([confirmed("x".repeat(101))], 50)).not.toEqual([]);
  });

  it("checks a modal's title, buttons, private_metadata and callback_id", () => {
    expect(validateView(modal())).toEqual([]);
    expect(validateView(modal({ title: { type: "plain_text", text: "x".repeat(25) } })).join()).toMatch(
      /\/view\/title\/text/,
    );
    expect(validateView(modal({ title: undefined }))).not.toEqual([]);
    expect(validateView(modal({ submit: { type: "plain_text", text: "x".repeat(25) } }))).not.toEqual([]);
    expect(validateView(modal({ private_metadata: "x".repeat(3001) }))).not.toEqual([]);
    expect(validateView(modal({ callback_id: "x".repeat(256) }))).not.toEqual([]);
    expect(
      validateView({ type: "home", blocks: [section("ok")], private_metadata: "x".repeat(3001) }),
    ).not.toEqual([]);
  });

  describe("over the Web API", () => {
    let fake: FakeSlack;
    let client: WebClient;
    beforeAll(async () => {
      fake = await startFakeSlack();
      client = new WebClient("xoxb-test", {
        slackApiUrl: fake.apiUrl,
        retryConfig: { retries: 0 },
        logLevel: LogLevel.ERROR,
      });
    });
    afterAll(() => fake.close());

    it("answers views.open with a too-long title, and chat.postMessage with an empty section, by refusing", async () => {
      await expect(client.views.open({ trigger_id: "1.2.3", view: modal() as never })).resolves.toMatchObject(
        { ok: true },
      );
      await expect(
        client.views.open({
          trigger_id: "1.2.3",
          view: modal({ title: { type: "plain_text", text: "x".repeat(25) } }) as never,
        }),
      ).rejects.toThrow(/invalid_arguments/);
      await expect(
        client.chat.postMessage({ channel: "C1", text: "x", blocks: [section("")] }),
      ).rejects.toThrow(/invalid_blocks/);
    });
  });
});
