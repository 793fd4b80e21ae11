import { once } from "node:events";
import type { Server as HttpServer } from "node:http";
import { type AddressInfo, createServer, type Server } from "node:net";
import { type App, HTTPReceiver, SocketModeReceiver } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { explainStartupError, startBot } from "../src/bot.js";
import { ConfigError, readConfig, requireSlack } from "../src/config.js";
import { loadLibrary } from "../src/content/load.js";
import { createLogger } from "../src/log.js";
import { Matcher } from "../src/match/matcher.js";
import { createSlackApp } from "../src/slack/app.js";
import { ThreadContextStore } from "../src/slack/assistant-context.js";
import type { BotDeps } from "../src/slack/deps.js";
import { openStore, type Store } from "../src/store/index.js";
import { type FakeSlack, startFakeSlack } from "../test-support/fake-slack.js";
import { CONTENT_DIR, startTestBot, TEST_BOT_TOKEN, testEnv } from "./helpers/bot.js";
import { slashCommandFields } from "./helpers/slack-requests.js";

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("starting the bot", () => {
  let fake: FakeSlack;

  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await fake.close();
  });

  function env(overrides: Record<string, string | undefined>): Record<string, string> {
    const base: Record<string, string | undefined> = { ...testEnv(fake, ":memory:"), ...overrides };
    return Object.fromEntries(
      Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
  }

  describe("missing or malformed settings", () => {
    it("names SLACK_BOT_TOKEN and where to find it when it is missing", async () => {
      const error = await rejection(startBot(env({ SLACK_BOT_TOKEN: undefined })));
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.map((p) => p.variable);
      expect(problems).toEqual(["SLACK_BOT_TOKEN"]);
      const message = (error as Error).message;
      expect(message).toContain("SLACK_BOT_TOKEN");
      expect(message).toContain("OAuth & Permissions");
      expect(message).toContain("Bot User OAuth Token");
      expect(explainStartupError(error)).toBe(message);
      // Nothing reached Slack.
      expect(fake.calls).toEqual([]);
    });

    it("asks for SLACK_APP_TOKEN or SLACK_SIGNING_SECRET, with where to find each, when both are missing", async () => {
      const error = await rejection(
        startBot(env({ SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: undefined })),
      );
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain("SLACK_APP_TOKEN");
      expect(message).toContain("SLACK_SIGNING_SECRET");
      expect(message).toContain("App-Level Tokens");
      expect(message).toContain("connections:write");
      expect(message).toContain("Signing Secret");
      expect(message).toContain("Basic Information");
      expect(fake.calls).toEqual([]);
    });

    it("lists every missing variable at once", async () => {
      const error = await rejection(
        startBot(
          env({
            SLACK_BOT_TOKEN: undefined,
            SLACK_SIGNING_SECRET: undefined,
            SLACK_APP_TOKEN: undefined,
            NODE_ENV: "production",
          }),
        ),
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.variable)).toEqual([
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN or SLACK_SIGNING_SECRET",
      ]);
    });

    it("treats blank values as missing", async () => {
      const error = await rejection(
        startBot(env({ SLACK_BOT_TOKEN: "   ", SLACK_SIGNING_SECRET: "", NODE_ENV: "production" })),
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(2);
    });

    it("without any Slack setting (not production) serves the playground on loopback instead", async () => {
      const bot = await startBot(
        env({ SLACK_BOT_TOKEN: undefined, SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: undefined }),
      );
      try {
        expect(bot.mode).toBe("playground");
        expect(bot.playgroundUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
        const page = await fetch(bot.playgroundUrl ?? "");
        expect(page.status).toBe(200);
        expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
        expect(fake.calls).toEqual([]);
      } finally {
        await bot.stop();
      }
    });

    it("a Slack bot has no playground unless PLAYGROUND=on, and then on its own loopback port", async () => {
      const plain = await startBot(env({}));
      expect(plain.playgroundUrl).toBeNull();
      await plain.stop();
      const both = await startBot(env({ PLAYGROUND: "on", PLAYGROUND_PORT: "0" }));
      try {
        expect(both.mode).toBe("http");
        expect(both.playgroundUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
        expect((await fetch(both.playgroundUrl ?? "")).status).toBe(200);
      } finally {
        await both.stop();
      }
    });

    it("lists every malformed setting at once, without echoing the token", async () => {
      const error = await rejection(
        startBot(
          env({
            SLACK_BOT_TOKEN: "xoxp-user-token-not-a-bot-1234",
            SLACK_APP_TOKEN: "not-an-app-token",
            SLACK_API_URL: "ftp://slack.example",
            PORT: "99999",
            LOG_LEVEL: "loud",
          }),
        ),
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual(
        ["LOG_LEVEL", "PORT", "SLACK_API_URL", "SLACK_APP_TOKEN", "SLACK_BOT_TOKEN"].sort(),
      );
      const message = (error as Error).message;
      expect(message).toContain("must start with xoxb-");
      expect(message).toContain("must start with xapp-");
      expect(message).not.toContain("xoxp-user-token-not-a-bot-1234");
      expect(message).not.toContain("not-an-app-token");
      expect(fake.calls).toEqual([]);
    });
  });

  describe("a token Slack rejects", () => {
    it("fails to start, and the explanation points at SLACK_BOT_TOKEN without showing it", async () => {
      const strict = await startFakeSlack({ tokens: [TEST_BOT_TOKEN] });
      try {
        const revoked = "xoxb-revoked-token-999";
        const error = await rejection(
          startBot({ ...env({ SLACK_BOT_TOKEN: revoked }), SLACK_API_URL: strict.apiUrl }),
        );
        expect(strict.callsTo("auth.test")).toHaveLength(1);
        expect(strict.callsTo("auth.test")[0]?.error).toBe("invalid_auth");
        const explained = explainStartupError(error);
        expect(explained).toContain("SLACK_BOT_TOKEN");
        expect(explained).toContain("invalid_auth");
        expect(explained).toContain("OAuth & Permissions");
        expect(explained).not.toContain(revoked);
        // Slack was asked once; nothing else happened.
        expect(strict.calls.map((call) => call.method)).toEqual(["auth.test"]);
      } finally {
        await strict.close();
      }
    });

    it("starts with the token the fake accepts (control)", async () => {
      const strict = await startFakeSlack({ tokens: [TEST_BOT_TOKEN] });
      const t = await startTestBot({ fake: strict });
      try {
        expect(t.bot.mode).toBe("http");
      } finally {
        await t.stop();
        await strict.close();
      }
    });
  });

  describe("HTTP mode", () => {
    it("binds the requested loopback interface on a free port and releases it on stop", async () => {
      const t = await startTestBot({ fake });
      expect(t.bot.mode).toBe("http");
      expect(t.bot.port).toBeGreaterThan(0);
      expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
      await t.stop();
      await expect(fetch(`${t.url}/healthz`)).rejects.toThrow();
    });

    it("names the port that is already in use", async () => {
      const blocker: Server = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
      const address = blocker.address();
      const port = typeof address === "object" && address ? address.port : 0;
      try {
        const error = await rejection(startBot(env({ PORT: String(port) })));
        expect((error as { code?: string }).code).toBe("EADDRINUSE");
        expect(explainStartupError(error)).toContain(`port ${port} is already in use`);
      } finally {
        await new Promise<void>((resolve) => blocker.close(() => resolve()));
      }
    });
  });

  describe("Socket Mode", () => {
    const socketEnv = (extra: Record<string, string | undefined> = {}) =>
      env({ SLACK_APP_TOKEN: "xapp-1-A0TEST-123-abc", SLACK_SIGNING_SECRET: undefined, ...extra });

    it("is chosen when SLACK_APP_TOKEN is set, and needs no signing secret", () => {
      const config = readConfig(socketEnv());
      expect(config.slack?.mode).toBe("socket");
      expect(config.slack?.appToken).toBe("xapp-1-A0TEST-123-abc");
      expect(requireSlack(config, socketEnv()).mode).toBe("socket");
    });

    it("wins over HTTP mode when both an app token and a signing secret are set", () => {
      const both = socketEnv({ SLACK_SIGNING_SECRET: "secret" });
      expect(readConfig(both).slack?.mode).toBe("socket");
    });

    it("HTTP mode is chosen without SLACK_APP_TOKEN", () => {
      expect(readConfig(env({})).slack?.mode).toBe("http");
    });

    describe("the app built for Socket Mode", () => {
      let store: Store;
      let deps: BotDeps;

      beforeAll(async () => {
        const config = readConfig(env({}));
        const library = loadLibrary(CONTENT_DIR, { baseUrl: config.contentBaseUrl });
        store = await openStore(":memory:");
        deps = {
          library,
          matcher: new Matcher(library),
          store,
          logger: createLogger("error"),
          now: () => new Date(),
          threadContexts: new ThreadContextStore(),
        };
      });
      afterAll(async () => {
        await store.close();
      });

      function build(mode: "socket" | "http") {
        const e = mode === "socket" ? socketEnv() : env({});
        const config = readConfig(e);
        return createSlackApp(config, requireSlack(config, e), deps);
      }

      function internals(app: App): { listeners: unknown[]; middleware: unknown[]; receiver: unknown } {
        return app as unknown as { listeners: unknown[]; middleware: unknown[]; receiver: unknown };
      }

      it("is built without connecting, with a Socket Mode receiver", () => {
        const socket = build("socket");
        expect(internals(socket.app).receiver).toBeInstanceOf(SocketModeReceiver);
        expect(internals(build("http").app).receiver).toBeInstanceOf(HTTPReceiver);
        // Not started: no HTTP port, and nothing was asked of Slack.
        expect(socket.port()).toBeNull();
        expect(fake.calls).toEqual([]);
      });

      it.each([
        [undefined, "127.0.0.1"],
        ["0.0.0.0", "0.0.0.0"],
      ])(
        "serves /healthz and the articles on loopback unless HOST says otherwise (HOST=%s; issue 21, item 8)",
        async (host, bound) => {
          const e = socketEnv({ HOST: host, PORT: "0" });
          const config = readConfig(e);
          const { app } = createSlackApp(config, requireSlack(config, e), deps);
          const server = (app as unknown as { receiver: { httpServer: HttpServer } }).receiver.httpServer;
          // What the receiver's start() does, without opening the WebSocket.
          server.listen(0);
          await once(server, "listening");
          try {
            const address = server.address() as AddressInfo;
            expect(address.address).toBe(bound);
            const health = await fetch(`http://127.0.0.1:${address.port}/healthz`);
            expect(health.status).toBe(200);
            const article = await fetch(
              `http://127.0.0.1:${address.port}/articles/levels-of-engineering-management-focus`,
            );
            expect(article.status).toBe(200);
          } finally {
            await new Promise<void>((resolve) => server.close(() => resolve()));
          }
        },
      );

      it("registers the same middleware and listeners as HTTP mode", () => {
        const socket = internals(build("socket").app);
        const http = internals(build("http").app);
        // One Bolt listener per surface: the command, block actions, view submissions, events.
        expect(socket.listeners.length).toBe(4);
        expect(socket.listeners.length).toBe(http.listeners.length);
        expect(socket.middleware.length).toBe(http.middleware.length);
      });

      it("answers a slash command the same way as HTTP mode (dispatched in-process, no socket)", async () => {
        const answers: unknown[] = [];
        for (const mode of ["socket", "http"] as const) {
          const { app } = build(mode);
          // init() verifies the token against the fake; it does not open the WebSocket.
          await app.init();
          let acked: unknown;
          await app.processEvent({
            body: { ...slashCommandFields({ text: "I now run three teams through their leads" }) },
            ack: async (response?: unknown) => {
              acked = response;
            },
          });
          answers.push(acked);
        }
        expect(answers[0]).toMatchObject({ response_type: "ephemeral" });
        expect(JSON.stringify(answers[0])).toContain("*Wide focus*");
        expect(answers[0]).toEqual(answers[1]);
      });
    });
  });
});
