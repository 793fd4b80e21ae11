import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../src/store/open.js";
import { type FakeSlack, startFakeSlack } from "../test-support/fake-slack.js";
import { CONTENT_DIR, type TestBot, testEnv } from "./helpers/bot.js";
import { exitWithin, freePort, spawnBot, waitForHttp } from "./helpers/bot-process.js";
import { install, newKey, type Origin, oauthEnv, sendEventFrom } from "./helpers/oauth.js";
import { appMentionEvent } from "./helpers/slack-requests.js";

const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const REPO = fileURLToPath(new URL("..", import.meta.url));

const ROTATING: Origin = { teamId: "T0LOGROT" };
const STEADY: Origin = { teamId: "T0LOGSTEADY" };

/** Everything a process writes, stdout and stderr together, as the log reader sees it. */
function capture(child: ChildProcess, into: string[]): Promise<number | null> {
  child.stdout?.on("data", (chunk) => into.push(String(chunk)));
  child.stderr?.on("data", (chunk) => into.push(String(chunk)));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code));
  });
}

/**
 * Issue 19 item 3, "no token in any log line, ever", end to end: the real app and CLI in processes
 * of their own at LOG_LEVEL=debug go through installs, answers, a token refresh, a key rotation, a
 * delivery pass and an uninstall; no secret the fake issued or the settings hold is in what they wrote.
 */
describe("OAuth mode writes no secret to any log line at debug level (issue 19)", () => {
  let fake: FakeSlack;
  let dir: string;
  const output: string[] = [];
  let bot: ChildProcess | undefined;
  const keys = [newKey(), newKey()] as const;

  beforeAll(async () => {
    fake = await startFakeSlack();
    dir = mkdtempSync(join(tmpdir(), "em-focus-logs-"));
  });
  afterAll(async () => {
    if (bot) await stop(bot);
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function env(extra: Record<string, string> = {}): Record<string, string> {
    const settings: Record<string, string> = {
      ...testEnv(fake, join(dir, "em-focus.db")),
      LOG_LEVEL: "debug",
    };
    for (const [name, value] of Object.entries(oauthEnv(fake, keys[0]))) {
      if (value === undefined) delete settings[name];
      else settings[name] = value;
    }
    return { ...settings, ...extra };
  }

  /** The app in a process of its own; what the helpers need to talk to it. */
  async function start(extra: Record<string, string>): Promise<TestBot> {
    const port = await freePort();
    const settings = env({ ...extra, PORT: String(port) });
    const child = spawnBot(settings);
    bot = child;
    const exited = capture(child, output);
    const url = `http://127.0.0.1:${port}`;
    await Promise.race([
      waitForHttp(`${url}/healthz`),
      exited.then((code) => {
        throw new Error(`the app exited (${code}):\n${output.join("")}`);
      }),
    ]);
    return {
      fake,
      url,
      target: { url, signingSecret: settings.SLACK_SIGNING_SECRET ?? "" },
      databasePath: settings.DATABASE_URL ?? "",
    } as TestBot;
  }

  async function stop(child: ChildProcess): Promise<void> {
    child.kill("SIGTERM");
    if ((await exitWithin(child, 10_000)) === undefined) throw new Error("the app did not stop on SIGTERM");
    bot = undefined;
  }

  function cli(args: string[], extra: Record<string, string>): Promise<number | null> {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? "", SLACK_APP_TOKEN: "", CONTENT_DIR, ...env(extra) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    return capture(child, output);
  }

  async function answered(app: TestBot, origin: Origin, channel: string): Promise<string | undefined> {
    const event = appMentionEvent({ text: "<@U0BOT> I miss coding, should I go back?", channel });
    expect((await sendEventFrom(app, origin, event)).status).toBe(200);
    const call = await fake.waitForCall(
      "chat.postMessage",
      (c) => c.args.channel === channel && c.error === undefined,
    );
    return fake.oauth.whoseToken(call.token)?.teamId ?? undefined;
  }

  it("installs, answers, refreshes, rotates the key, delivers and uninstalls without logging a secret", async () => {
    let app = await start({});
    expect((await install(app, { teamId: ROTATING.teamId, rotating: true, expiresIn: 3600 })).status).toBe(
      200,
    );
    expect((await install(app, { teamId: STEADY.teamId })).status).toBe(200);
    // A refused install too: its code and the Slack error take the failure path's log lines.
    expect((await fetch(`${app.url}/slack/oauth_redirect?code=made-up&state=forged`)).status).toBe(400);
    expect(await answered(app, ROTATING, "C0LOGROT")).toBe(ROTATING.teamId);
    expect(await answered(app, STEADY, "C0LOGSTEADY")).toBe(STEADY.teamId);
    const refreshes = fake
      .callsTo("oauth.v2.access")
      .filter((call) => call.args.grant_type === "refresh_token" && call.error === undefined);
    expect(refreshes).toHaveLength(1);
    if (bot) await stop(bot);

    const rotated = { EM_FOCUS_ENCRYPTION_KEY: keys[1], EM_FOCUS_OLD_ENCRYPTION_KEYS: keys[0] };
    expect(await cli(["keys", "rotate"], rotated)).toBe(0);
    const store = await openStore(join(dir, "em-focus.db"));
    const past = new Date(Date.now() - 60_000);
    await store.upsertSubscription({
      teamId: STEADY.teamId,
      targetType: "user",
      targetId: "U0LOGSTEADY",
      subscribedBy: "U0LOGSTEADY",
      schedule: { weekday: 1, time: "09:00" },
      timeZone: "America/New_York",
      nextPromptAt: past,
      now: past,
    });
    await store.close();
    expect(await cli(["prompts", "deliver"], { EM_FOCUS_ENCRYPTION_KEY: keys[1] })).toBe(0);
    expect(
      fake.callsTo("chat.postMessage").some((c) => c.args.channel === "U0LOGSTEADY" && c.error === undefined),
    ).toBe(true);

    app = await start({ EM_FOCUS_ENCRYPTION_KEY: keys[1] });
    expect(await answered(app, ROTATING, "C0LOGROT2")).toBe(ROTATING.teamId);
    expect((await sendEventFrom(app, ROTATING, { type: "app_uninstalled" })).status).toBe(200);
    expect(
      (await sendEventFrom(app, ROTATING, { type: "tokens_revoked", tokens: { oauth: [], bot: ["U0BOT"] } }))
        .status,
    ).toBe(200);
    await expect.poll(() => output.join("").includes("app_uninstalled: deleted everything")).toBe(true);
    if (bot) await stop(bot);

    const logs = output.join("");
    // Positive controls: debug lines were written, Slack's requests among them, and the installs named.
    expect(logs).toContain("[DEBUG]");
    expect(logs).toContain("oauth.v2.access");
    expect(logs).toContain(ROTATING.teamId);
    const secrets = [
      ...fake.oauth.issuedSecrets(),
      fake.oauth.clientSecret,
      oauthEnv(fake).SLACK_STATE_SECRET ?? "",
      env().SLACK_SIGNING_SECRET ?? "",
      ...keys,
    ];
    expect(secrets.filter((secret) => secret.length < 8)).toEqual([]);
    const leaked = secrets.filter((secret) => logs.includes(secret));
    expect(leaked).toEqual([]);
  }, 120_000);
});
