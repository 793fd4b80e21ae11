import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import matter from "gray-matter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rotateKeys } from "../src/cli/keys.js";
import { ConfigError, readConfig, readKeys } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { SealedInstallations } from "../src/slack/installation-store.js";
import { BOT_SCOPES } from "../src/slack/scopes.js";
import { openStore } from "../src/store/open.js";
import { decryptToken, encryptToken, parseKey } from "../src/store/token-crypto.js";
import type { Store } from "../src/store/types.js";
import { collectExit, spawnBot } from "./helpers/bot-process.js";
import { newKey } from "./helpers/oauth.js";

const OAUTH = {
  SLACK_CLIENT_ID: "1.2",
  SLACK_CLIENT_SECRET: "s",
  SLACK_STATE_SECRET: "t",
  SLACK_SIGNING_SECRET: "x",
};

describe("OAuth settings (issue 19)", () => {
  it("OAuth mode without EM_FOCUS_ENCRYPTION_KEY is refused, saying how to make one", () => {
    const error = (() => {
      try {
        readConfig(OAUTH);
      } catch (thrown) {
        return thrown as ConfigError;
      }
      throw new Error("readConfig accepted OAuth mode without a key");
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems.map((p) => p.variable)).toEqual(["EM_FOCUS_ENCRYPTION_KEY"]);
    expect(error.message).toContain("randomBytes(32)");
    expect(() => readConfig({ ...OAUTH, EM_FOCUS_ENCRYPTION_KEY: "c2hvcnQ=" })).toThrow(/32 bytes/);
  });

  it("the bot process exits non-zero naming EM_FOCUS_ENCRYPTION_KEY", async () => {
    const { code, stderr } = await collectExit(spawnBot({ ...OAUTH, SLACK_BOT_TOKEN: "", PORT: "0" }));
    expect(code).not.toBe(0);
    expect(stderr).toContain("EM_FOCUS_ENCRYPTION_KEY");
  }, 30_000);

  it("reads OAuth mode only without SLACK_BOT_TOKEN, and asks for every missing piece", () => {
    const config = readConfig({
      ...OAUTH,
      EM_FOCUS_ENCRYPTION_KEY: newKey(),
      PUBLIC_URL: "https://bot.example",
    });
    expect(config.oauth?.redirectUri).toBe("https://bot.example/slack/oauth_redirect");
    expect(config.slack).toBeNull();
    expect(
      readConfig({ ...OAUTH, SLACK_BOT_TOKEN: "xoxb-1", EM_FOCUS_ENCRYPTION_KEY: newKey() }).oauth,
    ).toBeUndefined();
    try {
      readConfig({ SLACK_CLIENT_ID: "1.2", SLACK_APP_TOKEN: "xapp-1", EM_FOCUS_ENCRYPTION_KEY: newKey() });
      throw new Error("accepted");
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
        "SLACK_APP_TOKEN",
        "SLACK_CLIENT_SECRET",
        "SLACK_SIGNING_SECRET",
        "SLACK_STATE_SECRET",
      ]);
    }
  });

  it("the installer asks for manifest.yml's bot scopes, no more, no fewer", () => {
    const manifest = matter(`---\n${readFileSync("manifest.yml", "utf8")}\n---\n`).data as {
      oauth_config: { scopes: { bot: string[] } };
      settings: { event_subscriptions: { bot_events: string[] } };
    };
    expect([...BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(["app_uninstalled", "tokens_revoked"]),
    );
  });
});

describe("sealed tokens", () => {
  it("open only with their key and in their own row", () => {
    const key = parseKey(newKey());
    const sealed = encryptToken("xoxb-secret", key, "installation:/T1");
    expect(sealed).not.toContain("xoxb");
    expect(decryptToken(sealed, key, "installation:/T1")).toBe("xoxb-secret");
    expect(() => decryptToken(sealed, key, "installation:/T2")).toThrow();
    expect(() => decryptToken(sealed, parseKey(newKey()), "installation:/T1")).toThrow();
  });
});

describe("keys rotate", () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(":memory:");
  });
  afterAll(async () => {
    await store?.close();
  });

  it("re-seals every install under the new key; the old key is then no longer needed", async () => {
    const oldKey = newKey();
    const newKeyText = newKey();
    const ring = (env: Record<string, string>) => {
      const keys = readKeys(env, []);
      if (!keys) throw new Error("no keys");
      return keys;
    };
    const settings = (keys: ReturnType<typeof ring>) => ({
      clientId: "1",
      clientSecret: "s",
      apiUrl: null,
      keys,
    });
    const logger = createLogger("error", "test", { log() {}, error() {} });
    const before = new SealedInstallations(
      store,
      settings(ring({ EM_FOCUS_ENCRYPTION_KEY: oldKey })),
      logger,
    );
    for (const team of ["T1", "T2"]) {
      await before.storeInstallation({
        team: { id: team },
        enterprise: undefined,
        user: { id: "U1", token: undefined, scopes: undefined },
        bot: { token: `xoxb-${team}`, scopes: ["chat:write"], id: "B1", userId: "U0BOT" },
        isEnterpriseInstall: false,
        authVersion: "v2",
      });
    }
    const both = ring({ EM_FOCUS_ENCRYPTION_KEY: newKeyText, EM_FOCUS_OLD_ENCRYPTION_KEYS: oldKey });
    expect(await rotateKeys(store, both)).toEqual({ rotated: 2, current: 0, unreadable: 0 });
    expect(await rotateKeys(store, both)).toEqual({ rotated: 0, current: 2, unreadable: 0 });
    const after = new SealedInstallations(
      store,
      settings(ring({ EM_FOCUS_ENCRYPTION_KEY: newKeyText })),
      logger,
    );
    expect((await after.forTeam("T2"))?.botToken).toBe("xoxb-T2");
    const stranger = new SealedInstallations(
      store,
      settings(ring({ EM_FOCUS_ENCRYPTION_KEY: newKey() })),
      logger,
    );
    await expect(stranger.forTeam("T1")).rejects.toThrow(/neither EM_FOCUS_ENCRYPTION_KEY nor/);
  });
});

describe("logs", () => {
  it("never carry a token, even at debug level through an install and a refresh", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger("debug", "test", {
      log: (...args: unknown[]) => sink.write(`${args.map(String).join(" ")}\n`),
      error: (...args: unknown[]) => sink.write(`${args.map(String).join(" ")}\n`),
    });
    logger.debug({ bot_token: "xoxb-123456789", refresh: "xoxe-1-abcdef" }, "xoxe.xoxb-1-abcdefgh");
    expect(lines.join("")).not.toMatch(/xoxb-1|xoxe-1-abc|xoxb-123/);
  });
});

describe("the workspace of a click or submission", () => {
  it("is the installing workspace for a modal opened through Slack Connect, else the payload's team or the user's", async () => {
    const { teamOf } = await import("../src/slack/deps.js");
    expect(
      teamOf({
        team: { id: "T0GUEST" },
        user: { team_id: "T0GUEST" },
        view: { app_installed_team_id: "T0HOST" },
      }),
    ).toBe("T0HOST");
    expect(teamOf({ team: { id: "T1" }, user: { team_id: "T2" } })).toBe("T1");
    expect(teamOf({ team: null, user: { team_id: "T2" } })).toBe("T2");
  });
});
