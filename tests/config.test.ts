import { resolve } from "node:path";
import { format } from "node:util";
import { describe, expect, it } from "vitest";
import { ConfigError, playgroundOnly, readConfig, requireSlack } from "../src/config.js";
import { createLogger, redact } from "../src/log.js";

const BOT = "xoxb-1111-2222-abcdefABCDEF";
const APP = "xapp-1-A0123-4567-abcdef0123";

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError, but nothing was thrown");
}

describe("readConfig", () => {
  it.each([
    ["data/em-focus.db", "data/em-focus-playground.db"],
    ["/var/lib/em/bot.sqlite", "/var/lib/em/bot-playground.sqlite"],
    ["file:data/x.db", "data/x-playground.db"],
    [":memory:", ":memory:"],
    ["postgres://u:p@db:5432/em", "data/em-focus-playground.db"],
  ])(
    "gives the playground its own store beside DATABASE_URL=%s: %s (issue 21, item 5)",
    (databaseUrl, playground) => {
      expect(readConfig({ DATABASE_URL: databaseUrl }).playgroundDatabaseUrl).toBe(playground);
    },
  );

  it("takes PLAYGROUND_DATABASE_URL, but never the bot's own store (issue 21, item 5)", () => {
    expect(readConfig({ PLAYGROUND_DATABASE_URL: "/tmp/p.db" }).playgroundDatabaseUrl).toBe("/tmp/p.db");
    expect(() => readConfig({ DATABASE_URL: "x.db", PLAYGROUND_DATABASE_URL: "x.db" })).toThrow(
      /PLAYGROUND_DATABASE_URL.*must not be the bot's own store/s,
    );
  });

  it("has defaults for everything", () => {
    expect(readConfig({})).toEqual({
      contentDir: resolve("content"),
      contentBaseUrl: null,
      publicUrl: null,
      port: 3000,
      host: null,
      logLevel: "info",
      databaseUrl: "data/em-focus.db",
      playgroundDatabaseUrl: "data/em-focus-playground.db",
      databaseTimeouts: { connectMs: 2000, statementMs: 2500 },
      instanceId: null,
      slack: null,
      production: false,
      playground: false,
      playgroundPort: 3001,
      playgroundHost: "127.0.0.1",
      recordGaps: true,
      agentView: false,
      retentionDays: 730,
      summaryDelayHours: 24,
    });
  });

  it("reads every setting", () => {
    const config = readConfig({
      CONTENT_DIR: " /srv/articles ",
      PUBLIC_URL: "https://bot.example/",
      PORT: "8080",
      HOST: "127.0.0.1",
      LOG_LEVEL: "DEBUG",
      DATABASE_URL: "postgres://u@db/em",
      EM_FOCUS_INSTANCE_ID: " worker-2 ",
      DATABASE_CONNECT_TIMEOUT_MS: "5000",
      DATABASE_STATEMENT_TIMEOUT_MS: "0",
    });
    expect(config).toMatchObject({
      contentDir: "/srv/articles",
      publicUrl: "https://bot.example",
      contentBaseUrl: "https://bot.example/articles",
      port: 8080,
      host: "127.0.0.1",
      logLevel: "debug",
      databaseUrl: "postgres://u@db/em",
      databaseTimeouts: { connectMs: 5000, statementMs: 0 },
      instanceId: "worker-2",
    });
  });

  it("prefers CONTENT_BASE_URL over the one derived from PUBLIC_URL", () => {
    const config = readConfig({
      PUBLIC_URL: "https://bot.example",
      CONTENT_BASE_URL: "https://blog.example/posts//",
    });
    expect(config.contentBaseUrl).toBe("https://blog.example/posts");
  });

  it("uses Socket Mode when SLACK_APP_TOKEN is set", () => {
    const config = readConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_SIGNING_SECRET: "s3cret" });
    expect(config.slack).toEqual({
      botToken: BOT,
      mode: "socket",
      appToken: APP,
      signingSecret: "s3cret",
      apiUrl: null,
    });
  });

  it("uses HTTP when only the signing secret is set", () => {
    const config = readConfig({
      SLACK_BOT_TOKEN: BOT,
      SLACK_SIGNING_SECRET: "s3cret",
      SLACK_API_URL: "http://localhost:9/api/",
    });
    expect(config.slack).toEqual({
      botToken: BOT,
      mode: "http",
      appToken: null,
      signingSecret: "s3cret",
      apiUrl: "http://localhost:9/api",
    });
  });

  it.each([
    ["PORT", "80a", 'PORT: must be a port number (0–65535), got "80a"'],
    ["PORT", "70000", 'PORT: must be a port number (0–65535), got "70000"'],
    ["PORT", "-1", 'PORT: must be a port number (0–65535), got "-1"'],
    ["PUBLIC_URL", "bot.example", 'PUBLIC_URL: must be an http(s) URL, got "bot.example"'],
    ["CONTENT_BASE_URL", "ftp://x.test/a", 'CONTENT_BASE_URL: must be an http(s) URL, got "ftp://x.test/a"'],
    ["SLACK_API_URL", "not a url", 'SLACK_API_URL: must be an http(s) URL, got "not a url"'],
    ["LOG_LEVEL", "loud", 'LOG_LEVEL: must be one of debug, info, warn, error, got "loud"'],
    [
      "DATABASE_CONNECT_TIMEOUT_MS",
      "0",
      'DATABASE_CONNECT_TIMEOUT_MS: must be a number of milliseconds (1–3600000), got "0"',
    ],
    [
      "DATABASE_STATEMENT_TIMEOUT_MS",
      "2s",
      'DATABASE_STATEMENT_TIMEOUT_MS: must be a number of milliseconds (0–3600000), got "2s"',
    ],
  ])("rejects %s=%j", (variable, value, line) => {
    const error = configError(() => readConfig({ [variable]: value }));
    expect(error.problems.map((p) => p.variable)).toEqual([variable]);
    expect(error.message).toContain(`  - ${line}`);
  });

  it("reads the playground and knowledge-gap settings", () => {
    const config = readConfig({
      PLAYGROUND: "ON",
      PLAYGROUND_PORT: "4000",
      RECORD_GAPS: "off",
      NODE_ENV: "production",
    });
    expect(config).toMatchObject({
      playground: true,
      playgroundPort: 4000,
      recordGaps: false,
      production: true,
    });
    const problems = configError(() =>
      readConfig({ PLAYGROUND: "yes", RECORD_GAPS: "maybe", PLAYGROUND_PORT: "x" }),
    )
      .problems.map((p) => p.variable)
      .sort();
    expect(problems).toEqual(["PLAYGROUND", "PLAYGROUND_PORT", "RECORD_GAPS"]);
  });

  // Issue 19, item 8: the Messages tab as the agent's surface, when the manifest has agent_view.
  it("reads SLACK_AGENT_VIEW as on or off, and names it when it is neither", () => {
    expect(readConfig({ SLACK_AGENT_VIEW: " On " }).agentView).toBe(true);
    expect(readConfig({ SLACK_AGENT_VIEW: "off" }).agentView).toBe(false);
    const problems = configError(() => readConfig({ SLACK_AGENT_VIEW: "agent_view" })).problems;
    expect(problems.map((p) => p.variable)).toEqual(["SLACK_AGENT_VIEW"]);
    expect(problems[0]?.message).toContain("features.agent_view");
  });

  // Issue 17, item 5: "Production" or "prod" fell through to the playground, served to the network.
  it.each(["production", "Production", "PRODUCTION", "prod", "Prod", " prod "])(
    "recognises NODE_ENV=%j as production",
    (value) => {
      expect(readConfig({ NODE_ENV: value }).production).toBe(true);
      expect(playgroundOnly(readConfig({ NODE_ENV: value }), { NODE_ENV: value })).toBe(false);
    },
  );

  it.each(["development", "test", "staging", "production-like", ""])(
    "does not take NODE_ENV=%j for production",
    (value) => {
      expect(readConfig({ NODE_ENV: value }).production).toBe(false);
    },
  );

  it("keeps the playground on loopback whatever HOST says, unless PLAYGROUND_HOST is set (item 5)", () => {
    expect(readConfig({ HOST: "0.0.0.0" })).toMatchObject({ host: "0.0.0.0", playgroundHost: "127.0.0.1" });
    expect(readConfig({ PLAYGROUND_HOST: " 0.0.0.0 " }).playgroundHost).toBe("0.0.0.0");
    expect(readConfig({ PLAYGROUND_HOST: "[::1]" }).playgroundHost).toBe("::1");
    expect(readConfig({ PLAYGROUND_HOST: "playground.internal" }).playgroundHost).toBe("playground.internal");
    const bad = configError(() => readConfig({ PLAYGROUND_HOST: "http://0.0.0.0:80/" }));
    expect(bad.problems).toEqual([
      {
        variable: "PLAYGROUND_HOST",
        message: 'must be an IP address or a host name (default 127.0.0.1), got "http://0.0.0.0:80/"',
      },
    ]);
  });

  it("serves only the playground without any Slack setting, outside production", () => {
    expect(playgroundOnly(readConfig({}), {})).toBe(true);
    expect(playgroundOnly(readConfig({ NODE_ENV: "production" }), {})).toBe(false);
    expect(playgroundOnly(readConfig({ SLACK_SIGNING_SECRET: "s" }), { SLACK_SIGNING_SECRET: "s" })).toBe(
      false,
    );
    expect(playgroundOnly(readConfig({ SLACK_BOT_TOKEN: "xoxb-1" }), { SLACK_BOT_TOKEN: "xoxb-1" })).toBe(
      false,
    );
  });

  it("rejects tokens with the wrong prefix, and lists every problem at once", () => {
    const error = configError(() =>
      readConfig({
        SLACK_BOT_TOKEN: "xoxp-user-token",
        SLACK_APP_TOKEN: "app-token",
        PORT: "x",
        LOG_LEVEL: "loud",
      }),
    );
    expect(error.problems.map((p) => p.variable).sort()).toEqual([
      "LOG_LEVEL",
      "PORT",
      "SLACK_APP_TOKEN",
      "SLACK_BOT_TOKEN",
    ]);
    const bot = error.problems.find((p) => p.variable === "SLACK_BOT_TOKEN");
    expect(bot?.message).toMatch(/^must start with xoxb-/);
    expect(bot?.message).toContain("OAuth & Permissions");
    expect(error.problems.find((p) => p.variable === "SLACK_APP_TOKEN")?.message).toMatch(
      /^must start with xapp-/,
    );
    expect(error.message.split("\n")[0]).toBe("em-focus cannot start: its settings are incomplete.");
    expect(error.name).toBe("ConfigError");
  });
});

describe("requireSlack", () => {
  it("returns the Slack settings when they are complete", () => {
    const env = { SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP };
    expect(requireSlack(readConfig(env), env)).toMatchObject({
      botToken: BOT,
      mode: "socket",
      appToken: APP,
    });
    const http = { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: "s3cret" };
    expect(requireSlack(readConfig(http), http)).toMatchObject({ mode: "http", signingSecret: "s3cret" });
  });

  it("lists every missing variable and where to find it", () => {
    const error = configError(() => requireSlack(readConfig({}), {}));
    expect(error.problems.map((p) => p.variable)).toEqual([
      "SLACK_BOT_TOKEN",
      "SLACK_APP_TOKEN or SLACK_SIGNING_SECRET",
    ]);
    expect(error.message).toContain("  - SLACK_BOT_TOKEN: missing — ");
    expect(error.message).toContain("OAuth & Permissions → Bot User OAuth Token");
    expect(error.message).toContain("  - SLACK_APP_TOKEN or SLACK_SIGNING_SECRET: missing — ");
    expect(error.message).toContain("App-Level Tokens");
    expect(error.message).toContain("Signing Secret");
    expect(error.message).toContain(".env.example");
  });

  it("names only what is missing", () => {
    const onlyBot = { SLACK_BOT_TOKEN: BOT };
    const error = configError(() => requireSlack(readConfig(onlyBot), onlyBot));
    expect(error.problems.map((p) => p.variable)).toEqual(["SLACK_APP_TOKEN or SLACK_SIGNING_SECRET"]);
    const onlyApp = { SLACK_APP_TOKEN: APP };
    const noBot = configError(() => requireSlack(readConfig(onlyApp), onlyApp));
    expect(noBot.problems.map((p) => p.variable)).toEqual(["SLACK_BOT_TOKEN"]);
  });
});

describe("createLogger", () => {
  function fakeSink() {
    const lines: { stream: "log" | "error"; text: string; args: unknown[] }[] = [];
    return {
      lines,
      sink: {
        log: (...args: unknown[]) => lines.push({ stream: "log", text: format(...args), args }),
        error: (...args: unknown[]) => lines.push({ stream: "error", text: format(...args), args }),
      },
    };
  }

  const SECRETS = [
    BOT,
    APP,
    "xoxp-9-8-userSECRET",
    "hunter2hunter2",
    "sigSECRETvalue",
    "Bearer-less-abc123",
    "pw-0123456789",
  ];

  it("never prints tokens or secret values", () => {
    const { lines, sink } = fakeSink();
    const log = createLogger("debug", "test", sink);
    const apiError = Object.assign(new Error(`An API error occurred: invalid_auth (token ${BOT})`), {
      data: { ok: false, error: "invalid_auth", response_metadata: { token: "hunter2hunter2" } },
    });
    log.info(`starting with ${BOT} and ${APP}`);
    log.debug("signing secret=sigSECRETvalue, authorization: Bearer Bearer-less-abc123");
    log.warn({
      token: "hunter2hunter2",
      nested: { deeper: { clientSecret: "sigSECRETvalue" } },
      list: [APP],
    });
    log.error(apiError);
    log.error("request failed", {
      headers: { Authorization: "Bearer Bearer-less-abc123" },
      body: `token=${"xoxp-9-8-userSECRET"}`,
      password: "pw-0123456789",
    });
    log.info(new Error(JSON.stringify({ token: "hunter2hunter2" })));
    expect(lines).toHaveLength(6);
    const printed = lines.map((l) => `${l.text}\n${JSON.stringify(l.args)}`).join("\n");
    for (const secret of SECRETS) expect(printed).not.toContain(secret);
    expect(printed).toContain("[redacted]");
    expect(printed).toContain("invalid_auth");
  });

  it("writes the level and name before the arguments", () => {
    const { lines, sink } = fakeSink();
    createLogger("info", "em-focus", sink).info("answered", "ic", 3);
    expect(lines).toEqual([
      {
        stream: "log",
        text: "[INFO] em-focus answered ic 3",
        args: ["[INFO] em-focus", "answered", "ic", 3],
      },
    ]);
  });

  // Regression: redact() once recursed on every object node and logged "[unloggable object]".
  it("keeps what is not secret in objects", () => {
    const { lines, sink } = fakeSink();
    createLogger("info", "em-focus", sink).info("answered", { section: "ic", user: "U123" });
    expect(lines[0]?.args).toEqual(["[INFO] em-focus", "answered", { section: "ic", user: "U123" }]);
  });

  it("redact copies objects with only the secrets replaced", () => {
    const original = { token: "hunter2hunter2", a: 1, nested: { secret: "s3cr3tvalue", ok: ["x"] } };
    expect(redact(original)).toEqual({
      token: "[redacted]",
      a: 1,
      nested: { secret: "[redacted]", ok: ["x"] },
    });
    const error = redact(Object.assign(new Error("x"), { data: { error: "invalid_auth" } })) as {
      data: unknown;
    };
    expect(error.data).toEqual({ error: "invalid_auth" });
  });

  it("drops lines below its level and sends warnings and errors to the error stream", () => {
    const { lines, sink } = fakeSink();
    const log = createLogger("warn", "x", sink);
    log.debug("no");
    log.info("no");
    log.warn("yes");
    log.error("yes");
    expect(lines.map((l) => [l.stream, l.args[0]])).toEqual([
      ["error", "[WARN] x"],
      ["error", "[ERROR] x"],
    ]);
    log.setName("y");
    log.setLevel("debug" as Parameters<typeof log.setLevel>[0]);
    log.debug("now");
    expect(lines.at(-1)?.args).toEqual(["[DEBUG] y", "now"]);
  });

  it("redact leaves the original untouched and passes other values through", () => {
    const original = { token: "hunter2hunter2", a: 1 };
    expect(JSON.stringify(redact(original))).not.toContain("hunter2hunter2");
    expect(original.token).toBe("hunter2hunter2");
    expect(redact(`token: ${BOT}`)).toBe("token: [redacted]");
    expect(redact("xapp-1-A0123-4567 and xoxb-1-2")).toBe("[redacted] and [redacted]");
    expect(redact(42)).toBe(42);
    expect(redact(null)).toBeNull();
  });
});
