import { describe, expect, it } from "vitest";
import { explainStartupError } from "../src/bot.js";
import { readConfig } from "../src/config.js";
import { redact } from "../src/log.js";
import { redactDatabaseUrl } from "../src/store/url.js";
import { startFakeSlack } from "../test-support/fake-slack.js";
import { testEnv } from "./helpers/bot.js";
import { collectExit, freePort, spawnBot } from "./helpers/bot-process.js";

/** Issue 17, item 11: credentials in settings never reach a log line or a start-up error. */
describe("credentials in URLs are masked (issue 17, item 11)", () => {
  it("masks the whole password of a DATABASE_URL, also one containing '@'", () => {
    const masked = redactDatabaseUrl("postgres://em:p@ss@w0rd@db.example:5432/em_focus");
    expect(masked).toBe("postgres://em:***@db.example:5432/em_focus");
    expect(redactDatabaseUrl("postgresql://em:plain@db/em")).toBe("postgresql://em:***@db/em");
    expect(redactDatabaseUrl("postgres://db/em?user=em&password=hunter2x")).toBe(
      "postgres://db/em?user=em&password=***",
    );
    expect(redactDatabaseUrl("data/em-focus.db")).toBe("data/em-focus.db");
  });

  it("redact() masks URL credentials anywhere in a log line", () => {
    const line = redact("calling https://proxyuser:Pr0xyP@ss@slack-proxy.example/api/ now") as string;
    expect(line).not.toContain("Pr0xy");
    expect(line).toContain("https://proxyuser:***@slack-proxy.example/api/");
    // An OAuth code as @slack/web-api logs oauth.v2.access's body, and in a redirect's query; error codes stay.
    const body = redact('http request body: {"code":"1234.5678.9abcdef","client_id":"1.2"}') as string;
    expect(body).not.toContain("9abcdef");
    expect(body).toContain('"client_id":"1.2"');
    expect(redact("GET /slack/oauth_redirect?code=1234.5678.9abcdef&state=s")).not.toContain("9abcdef");
    expect(redact("error code: slack_webapi_platform_error")).toContain("slack_webapi_platform_error");
  });

  it("a settings error quoting a URL masks its credentials and keeps the rest readable", () => {
    let error: unknown;
    try {
      readConfig({ SLACK_API_URL: "ftp://proxyuser:Pr0xyPass@proxy.example/api" });
    } catch (thrown) {
      error = thrown;
    }
    const explained = explainStartupError(error);
    expect(explained).toContain("SLACK_API_URL: must be an http(s) URL");
    expect(explained).toContain("ftp://proxyuser:***@proxy.example/api");
    expect(explained).not.toContain("Pr0xyPass");
  });

  it("start-up errors of the real process mask a DATABASE_URL password with '@' and SLACK_API_URL credentials", async () => {
    const fake = await startFakeSlack();
    try {
      const closed = await freePort();
      const database = await collectExit(
        spawnBot({
          ...testEnv(fake, `postgres://em:S3cr3t@Tail-X9@127.0.0.1:${closed}/em`),
          LOG_LEVEL: "debug",
        }),
      );
      expect(database.code).toBe(1);
      expect(database.stderr).toContain(`postgres://em:***@127.0.0.1:${closed}/em`);
      expect(database.stderr).not.toContain("S3cr3t");
      expect(database.stderr).not.toContain("Tail-X9");

      const api = await collectExit(
        spawnBot({
          ...testEnv(fake, ":memory:"),
          SLACK_API_URL: `http://slackuser:ApiPassw0rd@127.0.0.1:${closed}/api/`,
          LOG_LEVEL: "debug",
        }),
      );
      expect(api.code).toBe(1);
      expect(api.stderr).toContain("slackuser:***@127.0.0.1");
      expect(api.stderr).not.toContain("ApiPassw0rd");
    } finally {
      await fake.close();
    }
  }, 60_000);
});
