import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, encodeAnswerRef } from "../src/slack/views/answer.js";
import { validateBlocks } from "../test-support/fake-slack.js";
import { TWO_SECTIONS } from "../test-support/questions.js";
import {
  ARTICLE_SLUG,
  ARTICLE_URL,
  asMessage,
  blocksOf,
  buttonsOf,
  startTestBot,
  type TestBot,
  unsafeMarkup,
  visibleText,
} from "./helpers/bot.js";
import { nextTs, sendAction, sendCommand, TEST_TEAM_ID } from "./helpers/slack-requests.js";

const IC_QUESTION = "I miss coding, should I go back?";
const CLICKER = "U0CLICKER";

interface FeedbackRow {
  team_id: string;
  user_id: string;
  article_slug: string;
  section_id: string;
  helpful: number;
}

describe("answer buttons over the real HTTP receiver", () => {
  let t: TestBot;
  let clicks = 0;

  beforeAll(async () => {
    t = await startTestBot();
  });
  afterEach(() => t.fake.reset());
  afterAll(async () => {
    await t?.stop();
  });

  /** Asks through the slash command and returns the ephemeral answer the person sees. */
  async function ask(question: string): Promise<unknown> {
    const response = await sendCommand(t.target, { text: question, user_id: CLICKER });
    expect(response.status).toBe(200);
    return response.json;
  }

  /** Clicks a button of `message` the way Slack sends it; returns the response_url id. */
  async function click(message: unknown, actionId: string, user = CLICKER): Promise<string> {
    const button = buttonsOf(message).find((b) => b.action_id === actionId);
    if (!button) throw new Error(`no ${actionId} button in ${JSON.stringify(message).slice(0, 300)}`);
    clicks += 1;
    const id = `click-${clicks}`;
    const messageTs = nextTs();
    const response = await sendAction(t.target, {
      actions: [{ action_id: actionId, block_id: button.block_id, value: button.value }],
      user: { id: user, username: "clicker" },
      container: { type: "message", message_ts: messageTs, channel_id: "C0TEST", is_ephemeral: true },
      response_url: t.fake.responseUrl(id),
    });
    expect(response.status).toBe(200);
    return id;
  }

  function feedbackRows(): FeedbackRow[] {
    const db = new Database(t.databasePath, { readonly: true, fileMustExist: true });
    try {
      return db
        .prepare(
          "SELECT team_id, user_id, article_slug, section_id, helpful FROM feedback ORDER BY created_at",
        )
        .all() as FeedbackRow[];
    } finally {
      db.close();
    }
  }

  it("Share in channel posts the answer in the channel, attributed to the clicker, and removes the ephemeral one", async () => {
    const answer = await ask(IC_QUESTION);
    const id = await click(answer, ACTIONS.share);
    await t.fake.waitForResponse((r) => r.id === id && r.body.delete_original === true);
    const posted = t.fake.responses.filter((r) => r.id === id);
    expect(posted).toHaveLength(2);
    const [shared, deletion] = posted;

    expect(shared?.body.response_type).toBe("in_channel");
    expect(shared?.body.replace_original).toBe(false);
    expect(validateBlocks(shared?.body.blocks, 50)).toEqual([]);
    const text = visibleText(shared?.body);
    expect(text).toContain(`Shared by <@${CLICKER}>`);
    expect(blocksOf(shared?.body)[0]?.text?.text).toMatch(/^🟧 \*IC focus\* · /);
    expect(text).toContain(`From <${ARTICLE_URL}#ic|Levels of Engineering (Management) Focus>`);
    expect(text).toContain(`You asked: “${IC_QUESTION}”`);
    // The channel gets the answer, not the asker's feedback and share buttons.
    expect(buttonsOf(shared?.body)).toEqual([]);
    expect(unsafeMarkup(shared?.body, { allowedUsers: [CLICKER] })).toEqual([]);

    expect(deletion?.body).toEqual({ delete_original: true });
    // Shared first, then deleted: a failed share must not lose the ephemeral answer.
    expect(posted.indexOf(shared as never)).toBeLessThan(posted.indexOf(deletion as never));
    // Through the response_url only: the bot need not be in the channel.
    expect(t.fake.callsTo("chat.postMessage")).toEqual([]);
  });

  it("Share credits whoever clicked, not a user named in the question", async () => {
    const answer = await ask(`<@U0SOMEONE> ${IC_QUESTION}`);
    const id = await click(answer, ACTIONS.share, "U0SHARER");
    const shared = await t.fake.waitForResponse((r) => r.id === id && r.body.response_type === "in_channel");
    expect(visibleText(shared.body)).toContain("Shared by <@U0SHARER>");
    expect(unsafeMarkup(shared.body, { allowedUsers: ["U0SHARER"] })).toEqual([]);
  });

  it("Other levels shows the two other levels, ephemerally, next to the answer", async () => {
    const answer = await ask(IC_QUESTION);
    const id = await click(answer, ACTIONS.otherLevels);
    const response = await t.fake.waitForResponse((r) => r.id === id);
    expect(response.body.response_type).toBe("ephemeral");
    expect(response.body.replace_original).toBe(false);
    expect(validateBlocks(response.body.blocks, 50)).toEqual([]);
    const text = visibleText(response.body);
    expect(text).toContain("Besides IC");
    expect(text).toContain("*Narrow focus*");
    expect(text).toContain("*Wide focus*");
    expect(text).not.toContain("*IC focus*");
    expect(text).toContain(`<${ARTICLE_URL}#narrow|more>`);
    expect(text).toContain(`<${ARTICLE_URL}#wide|more>`);
  });

  it.each([
    { actionId: ACTIONS.helpful, helpful: 1, note: "👍 Thanks" },
    { actionId: ACTIONS.notHelpful, helpful: 0, note: "👎 Thanks" },
  ])(
    "$actionId records the feedback and replaces the buttons with a thank-you",
    async ({ actionId, helpful, note }) => {
      const before = feedbackRows().length;
      const answer = await ask("I now run three teams through their leads");
      const id = await click(answer, actionId);
      const response = await t.fake.waitForResponse((r) => r.id === id);
      const body = asMessage(response.body);
      expect(body.replace_original).toBe(true);
      expect(body.response_type).toBe("ephemeral");
      expect(validateBlocks(body.blocks, 50)).toEqual([]);
      expect(visibleText(body)).toContain(note);
      // Still the same answer, with Share and Other levels, but no second vote.
      expect(blocksOf(body)[0]?.text?.text).toMatch(/^🟩 \*Wide focus\* · /);
      expect(buttonsOf(body).map((b) => b.action_id)).toEqual([ACTIONS.share, ACTIONS.otherLevels]);

      const rows = feedbackRows();
      expect(rows).toHaveLength(before + 1);
      expect(rows.at(-1)).toEqual({
        team_id: TEST_TEAM_ID,
        user_id: CLICKER,
        article_slug: ARTICLE_SLUG,
        section_id: "wide",
        helpful,
      });
    },
  );

  describe("Also relevant", () => {
    it("offers the close runner-up as a button, and shows it in place when clicked", async () => {
      const answer = await ask(TWO_SECTIONS);
      expect(validateBlocks(blocksOf(answer), 50)).toEqual([]);
      expect(blocksOf(answer)[0]?.text?.text).toMatch(/^🟧 \*IC focus\* · /);
      const also = buttonsOf(answer).filter((b) => b.action_id.startsWith("answer_also_relevant"));
      expect(also.map((b) => b.action_id)).toEqual([ACTIONS.alsoRelevant]);
      expect(visibleText(answer)).toContain("Also relevant: Going back to IC means giving up the VP path");

      const id = await click(answer, ACTIONS.alsoRelevant);
      const response = asMessage((await t.fake.waitForResponse((r) => r.id === id)).body);
      expect(response.replace_original).toBe(true);
      expect(validateBlocks(response.blocks, 50)).toEqual([]);
      const text = visibleText(response);
      expect(blocksOf(response)[0]?.text?.text).toMatch(
        /^\*Going back to IC means giving up the VP path\* · /,
      );
      expect(text).toContain(`You asked: “${TWO_SECTIONS}”`);
      expect(text).toMatch(/Why this: you mentioned .*“vp”/);
      expect(text).toContain(
        `From <${ARTICLE_URL}#giving-up-the-vp-path|Levels of Engineering (Management) Focus>`,
      );
      // The first answer is one click away, and the private answer keeps its own buttons.
      expect(text).toContain("Also relevant: IC focus");
      expect(buttonsOf(response).map((b) => b.action_id)).toEqual([
        ACTIONS.alsoRelevant,
        ACTIONS.share,
        ACTIONS.otherLevels,
        ACTIONS.helpful,
        ACTIONS.notHelpful,
      ]);
      expect(unsafeMarkup(response)).toEqual([]);

      const back = await click(response, ACTIONS.alsoRelevant);
      const again = asMessage((await t.fake.waitForResponse((r) => r.id === back)).body);
      expect(blocksOf(again)[0]?.text?.text).toMatch(/^🟧 \*IC focus\* · /);
    });

    it("shows no alternatives when the answer is clear", async () => {
      const answer = await ask("how do I run good 1:1s with my reports");
      expect(blocksOf(answer)[0]?.text?.text).toMatch(/^🟦 \*Narrow focus\* · /);
      expect(buttonsOf(answer).some((b) => b.action_id.startsWith("answer_also_relevant"))).toBe(false);
    });

    it("never leaves the content: a forged value naming no section gets the stale-button note", async () => {
      const id = `forged-${clicks++}`;
      const response = await sendAction(t.target, {
        actions: [
          {
            action_id: ACTIONS.alsoRelevant,
            value: encodeAnswerRef({ article: "../../etc", section: "<!channel>", question: "<@U1>" }),
          },
        ],
        response_url: t.fake.responseUrl(id),
      });
      expect(response.status).toBe(200);
      const posted = await t.fake.waitForResponse((r) => r.id === id);
      expect(posted.body.replace_original).toBe(false);
      expect(String(posted.body.text)).toContain("no longer in the article");
      expect(unsafeMarkup(posted.body)).toEqual([]);
    });
  });

  it.each([
    {
      name: "a section that no longer exists",
      value: encodeAnswerRef({ article: ARTICLE_SLUG, section: "gone", question: "q" }),
    },
    {
      name: "an article that no longer exists",
      value: encodeAnswerRef({ article: "gone", section: "ic", question: "q" }),
    },
    { name: "a value that is not JSON", value: "not json at all" },
    { name: "an empty value", value: "" },
  ])("explains, without recording anything, when a button carries $name", async ({ value }) => {
    const before = feedbackRows().length;
    for (const actionId of [ACTIONS.share, ACTIONS.otherLevels, ACTIONS.helpful, ACTIONS.alsoRelevant]) {
      const id = `stale-${actionId}-${clicks++}`;
      const response = await sendAction(t.target, {
        actions: [{ action_id: actionId, value }],
        response_url: t.fake.responseUrl(id),
      });
      expect(response.status).toBe(200);
      const posted = await t.fake.waitForResponse((r) => r.id === id);
      expect(posted.body.response_type).toBe("ephemeral");
      expect(posted.body.replace_original).toBe(false);
      expect(String(posted.body.text)).toContain("no longer in the article");
      expect(unsafeMarkup(posted.body)).toEqual([]);
    }
    expect(feedbackRows()).toHaveLength(before);
    expect(t.fake.responses.some((r) => r.body.response_type === "in_channel")).toBe(false);
  });
});
