import { request } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "../src/slack/views/answer.js";
import { validateBlocks } from "../test-support/fake-slack.js";
import {
  asMessage,
  buttonsOf,
  parsedText,
  settle,
  startTestBot,
  type TestBot,
  textFields,
  unsafeMarkup,
} from "./helpers/bot.js";
import {
  appMentionEvent,
  BOT_USER_ID,
  blockActionsBody,
  eventBody,
  imMessageEvent,
  nowSeconds,
  type RequestOptions,
  sendAction,
  sendCommand,
  sendEvent,
  sendToApp,
  signRequest,
  slashCommandBody,
} from "./helpers/slack-requests.js";

const IC_QUESTION = "I miss coding, should I go back?";
const PINGS =
  "<!channel> <!here> <@U123> <!subteam^S1|@team> <!everyone> <#C999> <https://evil.example|click me>";

/** What must hold for every reply to hostile text. */
function expectInert(body: unknown, allowedUsers: string[] = []): void {
  expect(unsafeMarkup(body, { allowedUsers, forbiddenHosts: ["evil.example"] })).toEqual([]);
  for (const field of textFields(body)) {
    // Raw markup may only sit where Slack never parses it: plain_text, and button values
    // (which are never shown; they come back to the app on a click).
    if (field.kind === "mrkdwn") {
      expect(field.text, field.path).not.toMatch(/<[!#]/);
      expect(field.text, field.path).not.toContain("<@U123");
      expect(field.text, field.path).not.toContain("<https://evil.example");
    }
  }
  // Whatever of the question is echoed is shown as plain text (or escaped).
  const echoes = textFields(body).filter((f) => f.text.includes("You asked"));
  for (const echo of echoes) expect(echo.kind).toBe("plain_text");
}

describe("request safety and hostile input over the real HTTP receiver", () => {
  let t: TestBot;

  beforeAll(async () => {
    t = await startTestBot();
  });
  afterEach(() => t.fake.reset());
  afterAll(async () => {
    await t?.stop();
  });

  const apiCalls = () => t.fake.calls.filter((call) => call.method !== "auth.test");

  describe("signature verification", () => {
    const forgeries: Array<{ name: string; options: RequestOptions; secret?: string }> = [
      { name: "no signature headers", options: { unsigned: true } },
      { name: "a wrong signature", options: { signature: `v0=${"ab".repeat(32)}` } },
      { name: "a signature that is not v0", options: { signature: "v1=deadbeef" } },
      { name: "the wrong signing secret", options: {}, secret: "not-the-signing-secret" },
      { name: "a timestamp older than 5 minutes", options: { timestamp: nowSeconds() - 5 * 60 - 30 } },
      { name: "a timestamp from yesterday", options: { timestamp: nowSeconds() - 24 * 60 * 60 } },
      {
        name: "a timestamp that is not a number",
        options: { headers: { "x-slack-request-timestamp": "soon" } },
      },
    ];

    it.each(forgeries)("rejects $name with 401 and does nothing", async ({ options, secret }) => {
      const target = { ...t.target, signingSecret: secret ?? t.target.signingSecret };
      const command = await sendCommand(
        target,
        { text: IC_QUESTION, response_url: t.fake.responseUrl("forged-command") },
        options,
      );
      const mention = await sendEvent(
        target,
        appMentionEvent({ text: `<@${BOT_USER_ID}> ${IC_QUESTION}`, channel: "CFORGED" }),
        options,
      );
      const dm = await sendEvent(target, imMessageEvent({ text: IC_QUESTION, user: "U0FORGED" }), options);
      const action = await sendAction(
        target,
        {
          actions: [
            {
              action_id: ACTIONS.share,
              value: '{"a":"levels-of-engineering-management-focus","s":"ic","q":"x"}',
            },
          ],
          response_url: t.fake.responseUrl("forged-action"),
        },
        options,
      );
      for (const response of [command, mention, dm, action]) {
        expect(response.status).toBe(401);
        expect(response.text).toBe("");
      }
      // Positive control: a correctly signed request right after is answered.
      await sendEvent(t.target, imMessageEvent({ text: IC_QUESTION, user: "U0SIGNED" }));
      await t.fake.waitForCall("chat.postMessage");
      await settle(100);
      expect(apiCalls().map((call) => call.args.channel)).toEqual(["DU0SIGNED"]);
      expect(t.fake.responses).toEqual([]);
    });

    it("accepts a timestamp a little in the past", async () => {
      const response = await sendCommand(
        t.target,
        { text: IC_QUESTION },
        { timestamp: nowSeconds() - 4 * 60 },
      );
      expect(response.status).toBe(200);
      expect(asMessage(response.json).response_type).toBe("ephemeral");
    });

    it("rejects a body changed after signing", async () => {
      const body = slashCommandBody({ text: "help" });
      const tampered = body.replace("text=help", "text=I+miss+coding");
      const signature = signRequest(body, t.target.signingSecret);
      const response = await sendToApp(t.url, tampered, {
        contentType: "application/x-www-form-urlencoded",
        signingSecret: t.target.signingSecret,
        signature: signature["x-slack-signature"],
        timestamp: Number(signature["x-slack-request-timestamp"]),
      });
      expect(response.status).toBe(401);
    });
  });

  describe("retried events", () => {
    it("answers an event once however often Slack resends it", async () => {
      const event = appMentionEvent({ text: `<@${BOT_USER_ID}> ${IC_QUESTION}`, channel: "CRETRY" });
      const first = await sendEvent(t.target, event);
      expect(first.status).toBe(200);
      await t.fake.waitForCall("chat.postMessage");
      for (const retryNum of [1, 2]) {
        const retry = await sendEvent(t.target, event, {
          eventId: first.eventId,
          retryNum,
          retryReason: "http_timeout",
        });
        // Acknowledged (else Slack keeps retrying), but not answered again.
        expect(retry.status).toBe(200);
      }
      // Positive control after the retries.
      await sendEvent(
        t.target,
        appMentionEvent({ text: `<@${BOT_USER_ID}> ${IC_QUESTION}`, channel: "CAFTER" }),
      );
      await t.fake.waitForCall("chat.postMessage", (call) => call.args.channel === "CAFTER");
      await settle(100);
      expect(t.fake.callsTo("chat.postMessage").map((call) => call.args.channel)).toEqual([
        "CRETRY",
        "CAFTER",
      ]);
    });

    it("answers once when the retry arrives while the first delivery is still being handled", async () => {
      t.fake.setLatency(150);
      const event = imMessageEvent({ text: IC_QUESTION, user: "U0RACE" });
      const first = sendEvent(t.target, event, { eventId: "EvRACE0001" });
      const retry = sendEvent(t.target, event, { eventId: "EvRACE0001", retryNum: 1 });
      expect((await first).status).toBe(200);
      expect((await retry).status).toBe(200);
      await t.fake.waitForCall("chat.postMessage");
      await settle(300);
      expect(t.fake.callsTo("chat.postMessage")).toHaveLength(1);
    });

    it("treats the same message under a new event id as a new event", async () => {
      // Dedupe is by event_id only; two people can ask the same thing.
      await sendEvent(t.target, imMessageEvent({ text: IC_QUESTION, user: "U0TWICE" }));
      await sendEvent(t.target, imMessageEvent({ text: IC_QUESTION, user: "U0TWICE" }));
      await t.fake.waitForCall("chat.postMessage", () => t.fake.callsTo("chat.postMessage").length >= 2);
      expect(t.fake.callsTo("chat.postMessage")).toHaveLength(2);
    });
  });

  describe("markup injection", () => {
    const answered = `${PINGS} ${IC_QUESTION}`;
    const offTopic = `${PINGS} how do I set up kubernetes ingress`;

    it.each([
      { name: "answered", question: answered },
      { name: "off-topic", question: offTopic },
    ])("keeps a slash-command answer inert ($name)", async ({ question }) => {
      const response = await sendCommand(t.target, { text: question });
      expect(response.status).toBe(200);
      expectInert(response.json);
      // The echo shows the words people asked, without the pings and markup around them.
      const echo = textFields(response.json).find(
        (f) => f.kind === "plain_text" && f.text.startsWith("You asked"),
      );
      expect(echo?.text).toMatch(/^You asked: “click me \S/);
      expect(echo?.text).not.toContain("<!channel>");
    });

    it("keeps mention and DM answers inert", async () => {
      await sendEvent(
        t.target,
        appMentionEvent({ text: `<@${BOT_USER_ID}> ${answered}`, channel: "CINJECT" }),
      );
      await sendEvent(t.target, imMessageEvent({ text: offTopic, user: "U0INJECT" }));
      const mention = await t.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "CINJECT");
      const dm = await t.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "DU0INJECT");
      for (const call of [mention, dm]) {
        expect(call.error).toBeUndefined();
        expectInert(call.args);
        // Slack would expand names and mentions in text if asked to; the app never asks.
        expect(call.args.link_names === undefined || String(call.args.link_names) === "false").toBe(true);
        expect(call.args.parse === undefined || call.args.parse === "none").toBe(true);
      }
    });

    it("keeps a bare-mention answer to a hostile thread root inert", async () => {
      const root = "1700000000.000100";
      t.fake.setThread("CINJECTROOT", root, [{ type: "message", user: "U0ROOT", text: answered, ts: root }]);
      await sendEvent(
        t.target,
        appMentionEvent({ text: `<@${BOT_USER_ID}>`, channel: "CINJECTROOT", thread_ts: root }),
      );
      const call = await t.fake.waitForCall("chat.postMessage");
      expectInert(call.args);
    });

    it("keeps shared, other-levels and feedback responses inert, except the clicker's attribution", async () => {
      const answer = await sendCommand(t.target, { text: answered });
      for (const button of buttonsOf(answer.json)) {
        const id = `inject-${button.action_id}`;
        await sendAction(t.target, {
          actions: [{ action_id: button.action_id, block_id: button.block_id, value: button.value }],
          user: { id: "U0CLICK" },
          response_url: t.fake.responseUrl(id),
        });
        await t.fake.waitForResponse((r) => r.id === id);
      }
      await settle(100);
      expect(t.fake.responses.length).toBeGreaterThanOrEqual(4);
      for (const response of t.fake.responses) expectInert(response.body, ["U0CLICK"]);
      const shared = t.fake.responses.find((r) => r.body.response_type === "in_channel");
      expect(JSON.stringify(shared?.body)).toContain("Shared by <@U0CLICK>");
    });

    it("escapes markup in the words it says it matched", async () => {
      const response = await sendCommand(t.target, {
        text: "I miss <b>coding</b> & should I go back? <!channel>",
      });
      expect(response.status).toBe(200);
      expectInert(response.json);
      const why = parsedText(response.json).find((text) => text.startsWith("Why this"));
      expect(why).toBeDefined();
      expect(why).not.toMatch(/<(?!https?:)/);
    });
  });

  describe("odd questions", () => {
    const long = "I miss coding, should I go back? ".repeat(1300).slice(0, 40_000);
    const cases = [
      { name: "0 characters", text: "" },
      { name: "40,000 characters", text: long },
      { name: "a 40,000-character single word", text: "a".repeat(40_000) },
      { name: "only emoji", text: "🎉🎉🚀 :tada: :rocket:" },
      {
        name: "Japanese",
        text: "エンジニアリングマネージャーとしてどこに集中すべきですか？コードを書くことに戻るべき？",
      },
      { name: "Arabic", text: "هل يجب أن أعود إلى البرمجة بعد سنوات من الإدارة؟" },
      {
        name: "right-to-left override and zero-width characters",
        text: "\u202eI miss coding\u200b\u200d should I go back?",
      },
      {
        name: "control characters",
        text: `I miss coding ${"\u0007\u0000\u001b".repeat(400)} should I go back?`,
      },
      { name: "quotes and backslashes", text: `I miss coding ${'"\\'.repeat(600)} should I go back?` },
      { name: "a lone surrogate", text: "I miss coding \ud83d should I go back?" },
      { name: "only markup", text: "<!channel>" },
      { name: "only a user mention", text: "<@U123>" },
    ];

    it.each(cases)("answers a slash command with $name sensibly", async ({ text }) => {
      const response = await sendCommand(t.target, { text });
      expect(response.status).toBe(200);
      const body = asMessage(response.json);
      expect(body.response_type).toBe("ephemeral");
      expect(typeof body.text).toBe("string");
      expect(String(body.text).length).toBeGreaterThan(0);
      expect(String(body.text).length).toBeLessThanOrEqual(4000);
      // ≤ 50 blocks, section text ≤ 3000, button values ≤ 2000, …
      expect(validateBlocks(body.blocks, 50)).toEqual([]);
      expect(JSON.stringify(body).length).toBeLessThan(12_000);
      expectInert(body);
    });

    it("never cuts an emoji in half when shortening a long question", async () => {
      const question = `I miss coding ${"🎉".repeat(600)}`;
      const response = await sendCommand(t.target, { text: question });
      expect(response.status).toBe(200);
      const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
      for (const field of textFields(response.json))
        expect(loneSurrogate.test(field.text), field.path).toBe(false);
      for (const button of buttonsOf(response.json)) {
        const ref = JSON.parse(button.value) as { q: string };
        expect(loneSurrogate.test(ref.q)).toBe(false);
      }
    });

    it.each(cases.filter((c) => c.text !== ""))("answers a DM with $name sensibly", async ({ text }) => {
      await sendEvent(t.target, imMessageEvent({ text, user: "U0ODD" }));
      const call = await t.fake.waitForCall("chat.postMessage");
      // The fake rejects what Slack would reject (invalid_blocks, no_text, …).
      expect(call.error).toBeUndefined();
      expectInert(call.args);
    });
  });

  describe("malformed requests", () => {
    async function stillAnswers(): Promise<void> {
      const response = await sendCommand(t.target, { text: IC_QUESTION });
      expect(response.status).toBe(200);
      expect(asMessage(response.json).response_type).toBe("ephemeral");
    }

    function signed(body: string, contentType: "application/json" | "application/x-www-form-urlencoded") {
      return sendToApp(t.url, body, { contentType, signingSecret: t.target.signingSecret });
    }

    it("rejects a signed body that is not JSON with 400", async () => {
      const response = await signed("{not json", "application/json");
      expect(response.status).toBe(400);
      await stillAnswers();
    });

    it("rejects a signed interactivity payload that is not JSON with 400", async () => {
      const response = await signed("payload=%7Bnot+json", "application/x-www-form-urlencoded");
      expect(response.status).toBe(400);
      await stillAnswers();
    });

    it("answers url_verification and ssl_check", async () => {
      const challenge = await signed(
        JSON.stringify({ type: "url_verification", challenge: "c-123" }),
        "application/json",
      );
      expect(challenge.json).toEqual({ challenge: "c-123" });
      const ssl = await sendToApp(t.url, "ssl_check=1&token=x", {
        contentType: "application/x-www-form-urlencoded",
        signingSecret: "irrelevant",
        unsigned: true,
      });
      expect(ssl.status).toBe(200);
      await stillAnswers();
    });

    it("survives unknown and incomplete requests, which Bolt leaves unacknowledged", async () => {
      // Bolt answers these with 404 after its 3-second ack timeout; run them side by side.
      const pending = [
        signed("foo=bar&baz=1", "application/x-www-form-urlencoded"),
        signed(JSON.stringify({ type: "event_callback", event_id: "EvNOEVENT1" }), "application/json"),
        signed(JSON.stringify({ hello: "world" }), "application/json"),
        sendAction(t.target, {
          actions: [{ action_id: "no_such_action", value: "x" }],
          response_url: t.fake.responseUrl("unknown-action"),
        }),
        signed(
          blockActionsBody({ actions: [], response_url: t.fake.responseUrl("no-actions") }),
          "application/x-www-form-urlencoded",
        ),
        signed(
          eventBody({ type: "app_mention", channel: "CNOTEXT", ts: "1700000000.000200" }),
          "application/json",
        ),
        signed(
          eventBody({ type: "message", channel_type: "im", channel: "DNOTEXT", user: "U0NOTEXT", ts: "1.2" }),
          "application/json",
        ),
      ];
      // Meanwhile the app keeps answering.
      await stillAnswers();
      const results = await Promise.all(pending);
      for (const result of results) expect(result.status).toBeLessThan(500);
      await stillAnswers();
      expect(t.fake.responses.filter((r) => r.id === "unknown-action" || r.id === "no-actions")).toEqual([]);
    }, 15_000);

    it("survives a body over Bolt's size limit", async () => {
      // On a socket of its own: the server answers before reading the body and drops the connection.
      // Signed, so that the size is what is refused (an unsigned body is refused before that).
      const body = JSON.stringify({ type: "event_callback", padding: "x".repeat(5 * 1024 * 1024) });
      const status = await postOnFreshSocket(`${t.url}/slack/events`, body, {
        ...signRequest(body, t.target.signingSecret),
      });
      expect(status === 413 || status === "reset").toBe(true);
      await stillAnswers();
    });

    it("does not serve anything else on the events path", async () => {
      const get = await fetch(`${t.url}/slack/events`);
      expect(get.status).toBeGreaterThanOrEqual(400);
      expect(get.status).toBeLessThan(500);
      const other = await fetch(`${t.url}/nope`);
      expect(other.status).toBe(404);
      await stillAnswers();
    });
  });
});

/** POSTs without keep-alive; resolves with the status, or "reset" when the server cut the upload short. */
function postOnFreshSocket(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<number | "reset"> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: "POST", agent: false, headers: { "content-type": "application/json", ...headers } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", () => resolve("reset"));
    req.end(body);
  });
}
