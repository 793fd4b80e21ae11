import { EventEmitter } from "node:events";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { installSafetyNet } from "../src/safety.js";
import { startTestBot, type TestBot } from "./helpers/bot.js";
import {
  nowSeconds,
  sendCommand,
  sendToApp,
  sendViewSubmission,
  viewSubmissionPayload,
} from "./helpers/slack-requests.js";

/** Requests that must be refused or acked, never crash the process or hang (issue 9, items 3–5). */
describe("hostile and odd requests over the real HTTP receiver", () => {
  let t: TestBot;

  beforeAll(async () => {
    t = await startTestBot();
  });
  afterEach(() => t.fake.reset());
  afterAll(async () => {
    await t?.stop();
  });

  /** The app still answers a normal command (a positive control after each odd body). */
  async function stillAnswers(): Promise<void> {
    const answer = await sendCommand(t.target, { text: "I miss coding, should I go back?" });
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.json)).toContain("IC");
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
  }

  describe("timestamps both ways (item 3)", () => {
    it.each([
      { name: "six minutes in the future", offset: 6 * 60 },
      { name: "a day in the future", offset: 24 * 60 * 60 },
    ])("rejects a correctly signed request whose timestamp is $name with 401", async ({ offset }) => {
      const response = await sendCommand(t.target, { text: "help" }, { timestamp: nowSeconds() + offset });
      expect(response.status).toBe(401);
      await stillAnswers();
    });

    it("accepts a timestamp a little in the future (clock skew under five minutes)", async () => {
      const response = await sendCommand(t.target, { text: "help" }, { timestamp: nowSeconds() + 60 });
      expect(response.status).toBe(200);
    });
  });

  describe("unknown interactive payloads are acked at once (item 4)", () => {
    // Left unacked, Bolt answers 404 after its 3-second timeout: a 200 means it was acked.
    it("acks a view submission with an unknown callback_id", async () => {
      const response = await sendViewSubmission(t.target, { callback_id: "something_else", values: {} });
      expect(response.status).toBe(200);
    });

    it("acks a submission of a known modal that has no state", async () => {
      const payload = viewSubmissionPayload({
        callback_id: "prompt_note",
        private_metadata: "x",
      }) as unknown as {
        view: Record<string, unknown>;
      };
      delete payload.view.state;
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const response = await sendToApp(t.url, body, {
        contentType: "application/x-www-form-urlencoded",
        signingSecret: t.target.signingSecret,
      });
      expect(response.status).toBe(200);
      await stillAnswers();
    });

    it.each([
      { type: "shortcut", callback_id: "unknown_shortcut" },
      { type: "message_action", callback_id: "unknown_action" },
      { type: "view_closed", view: { callback_id: "prompt_note" } },
      { type: "block_suggestion", action_id: "x" },
    ])("acks a $type payload this app has no listener for", async (payload) => {
      const body = new URLSearchParams({
        payload: JSON.stringify({
          ...payload,
          user: { id: "U1", team_id: "T0TEST" },
          team: { id: "T0TEST" },
        }),
      }).toString();
      const response = await sendToApp(t.url, body, {
        contentType: "application/x-www-form-urlencoded",
        signingSecret: t.target.signingSecret,
      });
      expect(response.status).toBe(200);
    });

    it("acks a command this app does not own", async () => {
      const response = await sendCommand(t.target, { command: "/other" });
      expect(response.status).toBe(200);
    });
  });

  describe("one signed request never stops the process (item 5)", () => {
    const form = "application/x-www-form-urlencoded" as const;
    const json = "application/json" as const;
    const bodies: Array<{ name: string; body: string; contentType: typeof form | typeof json }> = [
      { name: "form payload=null", body: "payload=null", contentType: form },
      { name: "JSON null", body: "null", contentType: json },
      { name: "JSON number", body: "42", contentType: json },
      { name: "JSON string", body: '"hello"', contentType: json },
      { name: "JSON array", body: "[1,2]", contentType: json },
      { name: "JSON array of null", body: "[null]", contentType: json },
      { name: "form payload=42", body: "payload=42", contentType: form },
      { name: "form payload=[]", body: "payload=%5B%5D", contentType: form },
      { name: "form payload that is not JSON", body: "payload=%7Bnot", contentType: form },
      { name: "JSON that is not JSON", body: "{not json", contentType: json },
      { name: "an empty JSON body", body: "", contentType: json },
      { name: "an empty object", body: "{}", contentType: json },
      { name: "an event_callback without event", body: '{"type":"event_callback"}', contentType: json },
      {
        name: "an event_callback with event null",
        body: '{"type":"event_callback","event":null}',
        contentType: json,
      },
      {
        name: "block_actions with actions null",
        body: `payload=${encodeURIComponent('{"type":"block_actions","actions":null}')}`,
        contentType: form,
      },
      {
        name: "block_actions without user",
        body: `payload=${encodeURIComponent('{"type":"block_actions","actions":[{"action_id":"share_answer"}]}')}`,
        contentType: form,
      },
      {
        name: "view_submission with view null",
        body: `payload=${encodeURIComponent('{"type":"view_submission","view":null,"user":{"id":"U1"}}')}`,
        contentType: form,
      },
      { name: "a command without user_id", body: "command=%2Fem-focus&text=help", contentType: form },
      { name: "url_verification without challenge", body: '{"type":"url_verification"}', contentType: json },
    ];

    it.each(bodies)(
      "answers a signed body of $name without crashing, then still answers",
      async ({ body, contentType }) => {
        const response = await sendToApp(t.url, body, { contentType, signingSecret: t.target.signingSecret });
        expect(response.status).toBeLessThan(500);
        await stillAnswers();
      },
    );
  });
});

describe("the process-level safety net (item 5)", () => {
  it("logs an unhandled rejection and an uncaught exception and keeps the process alive", () => {
    const fakeProcess = new EventEmitter();
    const logged: unknown[][] = [];
    const logger = { error: (...args: unknown[]) => logged.push(args) };
    const remove = installSafetyNet(fakeProcess, logger);
    fakeProcess.emit("unhandledRejection", new Error("boom in a promise"), Promise.resolve());
    fakeProcess.emit("uncaughtException", new Error("boom in a callback"));
    expect(logged).toHaveLength(2);
    expect(String(logged[0]?.[0])).toContain("kept running");
    expect(logged[0]?.[1]).toBeInstanceOf(Error);
    remove();
    expect(fakeProcess.listenerCount("unhandledRejection")).toBe(0);
    expect(fakeProcess.listenerCount("uncaughtException")).toBe(0);
  });
});

describe("the real bot process survives malformed signed bodies (item 5)", () => {
  it("keeps answering after payload=null, JSON null and a body Bolt cannot type", async () => {
    const { spawn } = await import("node:child_process");
    const { fileURLToPath } = await import("node:url");
    const { startFakeSlack } = await import("../test-support/fake-slack.js");
    const { CONTENT_DIR, TEST_BOT_TOKEN, TEST_SIGNING_SECRET } = await import("./helpers/bot.js");
    const fake = await startFakeSlack();
    const child = spawn(
      process.execPath,
      ["--import", "tsx", fileURLToPath(new URL("../src/main.ts", import.meta.url))],
      {
        cwd: fileURLToPath(new URL("..", import.meta.url)),
        env: {
          PATH: process.env.PATH ?? "",
          SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
          SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
          SLACK_API_URL: fake.apiUrl,
          PORT: "0",
          HOST: "127.0.0.1",
          CONTENT_DIR,
          DATABASE_URL: ":memory:",
          LOG_LEVEL: "info",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let exited = false;
    child.on("exit", () => {
      exited = true;
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = "";
        child.stdout?.on("data", (chunk) => {
          out += String(chunk);
          const match = /HTTP mode on port (\d+)/.exec(out);
          if (match) resolve(Number(match[1]));
        });
        child.on("exit", (code) => reject(new Error(`the bot exited (${code}) before listening: ${out}`)));
      });
      const target = { url: `http://127.0.0.1:${port}`, signingSecret: TEST_SIGNING_SECRET };
      for (const [body, contentType] of [
        ["payload=null", "application/x-www-form-urlencoded"],
        ["null", "application/json"],
        ['{"type":"event_callback","event":null}', "application/json"],
      ] as const) {
        const response = await sendToApp(target.url, body, {
          contentType,
          signingSecret: target.signingSecret,
        });
        expect(response.status).toBe(400);
        const answer = await sendCommand(target, { text: "I miss coding, should I go back?" });
        expect(answer.status).toBe(200);
        expect(exited).toBe(false);
      }
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => (exited ? resolve(undefined) : child.on("exit", resolve)));
      await fake.close();
    }
  }, 30_000);
});
