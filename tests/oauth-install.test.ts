import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLibrary } from "../src/content/load.js";
import { TABLES_WITHOUT_WORKSPACE_ROWS, WORKSPACE_TABLES } from "../src/store/uninstall.js";
import { CONTENT_DIR, TEST_DATABASES, type TestBot } from "./helpers/bot.js";
import {
  install,
  type Origin,
  openInstallPage,
  redirectBack,
  sendEventFrom,
  sendInteractionFrom,
  startOAuthBot,
} from "./helpers/oauth.js";
import { countTeamRows, liveTables, liveTeamTables, rawSql, seedWorkspaceRows } from "./helpers/raw-sql.js";
import { appMentionEvent } from "./helpers/slack-requests.js";

const ONE: Origin = { teamId: "T0NE" };
const TITLE = loadLibrary(CONTENT_DIR).articles[0]?.title ?? "no article";
const GRID_WORKSPACE: Origin = { teamId: "T0GRIDWS", enterpriseId: "E0GRID" };
const ORG_MEMBER: Origin = { teamId: "T0ORGWS", enterpriseId: "E0ORG", org: true };

/** The install a call's token belongs to, as the fake issued it. */
function whoseCall(bot: TestBot, token: string | undefined) {
  return bot.fake.oauth.whoseToken(token);
}

async function mentionAnsweredWith(bot: TestBot, origin: Origin, channel: string, topLevelTeamId?: string) {
  const sent = await sendEventFrom(
    bot,
    origin,
    appMentionEvent({ text: "<@U0BOT> I miss coding, should I go back?", channel }),
    topLevelTeamId ? { topLevelTeamId } : {},
  );
  expect(sent.status).toBe(200);
  const call = await bot.fake.waitForCall(
    "chat.postMessage",
    (c) => c.args.channel === channel && c.error === undefined,
  );
  return whoseCall(bot, call.token);
}

describe.each(TEST_DATABASES)("OAuth mode on $name (issue 19)", ({ postgresUrl }) => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startOAuthBot(postgresUrl ? { postgresUrl } : {});
  }, 60_000);
  afterAll(async () => {
    await bot?.stop();
  });

  it("two workspaces (one inside a Grid) and an org-wide install complete the flow, each told what to do next", async () => {
    const { page, link, cookie } = await openInstallPage(bot.url);
    expect(page).toContain("Add to Slack");
    // The page names the library's articles from content.
    expect(page).toContain(`the part of the article <em>${TITLE}</em> that fits`);
    expect(link.searchParams.get("client_id")).toBe(bot.fake.oauth.clientId);
    expect(link.searchParams.get("scope")?.split(",")).toContain("chat:write");
    expect(cookie).toMatch(/^slack-app-oauth-state=/);

    const one = await install(bot, { teamId: ONE.teamId, teamName: "One & Co" });
    expect(one.status).toBe(200);
    expect(one.page).toContain("em-focus is installed in <strong>One &amp; Co</strong>");
    expect(one.page).toContain("/em-focus");
    const grid = await install(bot, { teamId: GRID_WORKSPACE.teamId, enterpriseId: "E0GRID" });
    expect(grid.status).toBe(200);
    const org = await install(bot, {
      enterpriseId: "E0ORG",
      enterpriseName: "Org",
      isEnterpriseInstall: true,
    });
    expect(org.status).toBe(200);
    expect(org.page).toContain("for the whole of <strong>Org</strong>");
    expect(org.page).toContain("Choose the workspaces");

    const rows = await rawSql(
      bot.databasePath,
      "select enterprise_id, team_id, is_enterprise_install from installations order by enterprise_id, team_id",
    );
    expect(rows.map((r) => [r.enterprise_id, r.team_id, Number(r.is_enterprise_install)])).toEqual([
      ["", "T0NE", 0],
      ["E0GRID", "T0GRIDWS", 0],
      ["E0ORG", "", 1],
    ]);
  });

  it("answers each workspace with its own install's token, Slack Connect and org members included", async () => {
    expect((await mentionAnsweredWith(bot, ONE, "C0NE"))?.teamId).toBe("T0NE");
    expect((await mentionAnsweredWith(bot, GRID_WORKSPACE, "C0GRID"))?.teamId).toBe("T0GRIDWS");
    const orgAnswer = await mentionAnsweredWith(bot, ORG_MEMBER, "C0ORG");
    expect(orgAnswer?.enterpriseId).toBe("E0ORG");
    expect(orgAnswer?.isEnterpriseInstall).toBe(true);
    // Slack Connect: the top-level team is the channel owner's; authorizations name our install.
    expect((await mentionAnsweredWith(bot, ONE, "C0SHARED", "T0OWNER"))?.teamId).toBe("T0NE");
    // A workspace that never installed gets nothing: no token to answer with.
    const stranger = await sendEventFrom(
      bot,
      { teamId: "T0STRANGER" },
      appMentionEvent({ text: "<@U0BOT> hi", channel: "C0STR" }),
    );
    expect(stranger.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bot.fake.callsTo("chat.postMessage").some((c) => c.args.channel === "C0STR")).toBe(false);
  });

  it("sends each workspace's prompt with its own token; a click from another workspace changes nothing", async () => {
    const { openStore } = await import("../src/store/open.js");
    const store = await openStore(bot.databasePath);
    const past = new Date(Date.now() - 60_000);
    const schedule = { weekday: 1 as const, time: "09:00" };
    for (const [team, user] of [
      ["T0NE", "U0NE"],
      ["T0GRIDWS", "U0GRID"],
      ["T0ORGWS", "U0ORG"],
    ] as const) {
      await store.upsertSubscription({
        teamId: team,
        targetType: "user",
        targetId: user,
        subscribedBy: user,
        schedule,
        timeZone: "America/New_York",
        nextPromptAt: past,
        now: past,
      });
    }
    await store.close();
    await bot.bot.deliverPrompts(new Date());
    const sentTo = (user: string) =>
      bot.fake.callsTo("chat.postMessage").find((c) => c.args.channel === user && c.error === undefined);
    expect(whoseCall(bot, sentTo("U0NE")?.token)?.teamId).toBe("T0NE");
    expect(whoseCall(bot, sentTo("U0GRID")?.token)?.teamId).toBe("T0GRIDWS");
    expect(whoseCall(bot, sentTo("U0ORG")?.token)?.enterpriseId).toBe("E0ORG");

    const [delivery] = await rawSql(
      bot.databasePath,
      "select id from deliveries where team_id = 'T0NE' and target_id = 'U0NE'",
    );
    const click = (origin: Origin, user: string) =>
      sendInteractionFrom(bot, origin, {
        type: "block_actions",
        user: { id: user, username: user, name: user, team_id: origin.teamId },
        container: { type: "message", message_ts: "1.1", channel_id: user, is_ephemeral: false },
        channel: { id: user, name: "directmessage" },
        message: { type: "message", ts: "1.1", text: "" },
        response_url: bot.fake.responseUrl(),
        actions: [
          {
            action_id: "prompt_answer_wide",
            block_id: "b",
            type: "button",
            value: String(delivery?.id),
            action_ts: "1.2",
          },
        ],
      });
    // The same user id in another workspace, and a forged delivery id from another workspace.
    expect((await click(GRID_WORKSPACE, "U0NE")).status).toBe(200);
    expect((await click(ORG_MEMBER, "U0NE")).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await rawSql(bot.databasePath, "select * from answers")).toEqual([]);
    expect((await click(ONE, "U0NE")).status).toBe(200);
    await expect
      .poll(async () => (await rawSql(bot.databasePath, "select team_id, choice from answers")).length)
      .toBe(1);
    expect(await rawSql(bot.databasePath, "select team_id, choice from answers")).toEqual([
      { team_id: "T0NE", choice: "wide" },
    ]);
  });

  it("every table of the live schema is either deleted by an uninstall or says why it holds no workspace", async () => {
    const deletedByUninstall = new Set<string>([...WORKSPACE_TABLES, "installations", "installation_teams"]);
    // A table with a team_id column is a workspace's: the uninstall must delete from it.
    expect(
      (await liveTeamTables(bot.databasePath)).filter((table) => !deletedByUninstall.has(table)),
    ).toEqual([]);
    // Any other table (keyed by a user, a channel, …) must be decided on too.
    const decided = new Set([...deletedByUninstall, ...Object.keys(TABLES_WITHOUT_WORKSPACE_ROWS)]);
    const tables = await liveTables(bot.databasePath);
    expect(tables).toContain("event_claims"); // a positive control: the listing sees the newest migration
    expect(tables.filter((table) => !decided.has(table))).toEqual([]);
  });

  it("app_uninstalled deletes every row of that workspace, table by table; the others keep theirs and keep working", async () => {
    await seedWorkspaceRows(bot.databasePath, "T0NE");
    await seedWorkspaceRows(bot.databasePath, "T0GRIDWS");
    await seedWorkspaceRows(bot.databasePath, "T0ORGWS");
    const gapsBefore = (await rawSql(bot.databasePath, "select count(*) as n from gaps"))[0]?.n;

    const uninstalled = await sendEventFrom(bot, ONE, { type: "app_uninstalled" });
    expect(uninstalled.status).toBe(200);
    // Every table of the live schema with a team_id column, not only the ones the code lists.
    const teamTables = await liveTeamTables(bot.databasePath);
    expect(teamTables).toEqual(expect.arrayContaining([...WORKSPACE_TABLES, "installations"]));
    await expect
      .poll(async () =>
        Object.values(await countTeamRows(bot.databasePath, teamTables, "T0NE")).every((n) => n === 0),
      )
      .toBe(true);
    expect(await rawSql(bot.databasePath, "select * from installations where team_id = 'T0NE'")).toEqual([]);
    for (const team of ["T0GRIDWS", "T0ORGWS"]) {
      const kept = await countTeamRows(bot.databasePath, WORKSPACE_TABLES, team);
      for (const table of WORKSPACE_TABLES) expect(kept[table], `${team} ${table}`).toBeGreaterThan(0);
    }
    expect((await rawSql(bot.databasePath, "select count(*) as n from gaps"))[0]?.n).toBe(gapsBefore);

    // Again, then tokens_revoked after it: harmless; the other installs still answer.
    expect((await sendEventFrom(bot, ONE, { type: "app_uninstalled" })).status).toBe(200);
    expect(
      (await sendEventFrom(bot, ONE, { type: "tokens_revoked", tokens: { oauth: [], bot: ["U0BOT"] } }))
        .status,
    ).toBe(200);
    expect((await mentionAnsweredWith(bot, GRID_WORKSPACE, "C0GRID2"))?.teamId).toBe("T0GRIDWS");
    expect((await mentionAnsweredWith(bot, ORG_MEMBER, "C0ORG2"))?.enterpriseId).toBe("E0ORG");
    const healthz = await fetch(`${bot.url}/healthz`);
    expect(healthz.status).toBe(200);
  });

  it("an org-wide uninstall deletes the rows of every workspace it served; tokens_revoked first works the same", async () => {
    const revoked = await sendEventFrom(bot, ORG_MEMBER, {
      type: "tokens_revoked",
      tokens: { oauth: [], bot: ["U0BOT"] },
    });
    expect(revoked.status).toBe(200);
    await expect
      .poll(async () =>
        Object.values(await countTeamRows(bot.databasePath, WORKSPACE_TABLES, "T0ORGWS")).every(
          (n) => n === 0,
        ),
      )
      .toBe(true);
    expect(
      await rawSql(bot.databasePath, "select * from installations where enterprise_id = 'E0ORG'"),
    ).toEqual([]);
    expect((await sendEventFrom(bot, ORG_MEMBER, { type: "app_uninstalled" })).status).toBe(200);
    const kept = await countTeamRows(bot.databasePath, WORKSPACE_TABLES, "T0GRIDWS");
    for (const table of WORKSPACE_TABLES) expect(kept[table], table).toBeGreaterThan(0);
  });

  it("refuses a forged, a reused and a cookieless state with a page that says so", async () => {
    const forged = await openInstallPage(bot.url);
    const wrong = await redirectBack(
      bot.url,
      { code: bot.fake.oauth.issueCode({ teamId: "T0X" }), state: `${forged.state}x` },
      forged.cookie.replace(/.$/, "x"),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.page).toContain("was not started in this browser");

    const tampered = await redirectBack(
      bot.url,
      { code: bot.fake.oauth.issueCode({ teamId: "T0X" }), state: `${forged.state}x` },
      `${forged.cookie}x`,
    );
    expect(tampered.status).toBe(400);
    expect(tampered.page).toContain("was not made by em-focus");

    const good = await openInstallPage(bot.url);
    const first = await redirectBack(
      bot.url,
      { code: bot.fake.oauth.issueCode({ teamId: "T0Y" }), state: good.state },
      good.cookie,
    );
    expect(first.status).toBe(200);
    const again = await redirectBack(
      bot.url,
      { code: bot.fake.oauth.issueCode({ teamId: "T0Z" }), state: good.state },
      good.cookie,
    );
    expect(again.status).toBe(400);
    expect(again.page).toContain("already used");
    expect(await rawSql(bot.databasePath, "select team_id from installations where team_id = 'T0Z'")).toEqual(
      [],
    );

    // Slack refuses a code it never issued (or one used): the page says Slack refused, nothing stored.
    const page = await openInstallPage(bot.url);
    const badCode = await redirectBack(bot.url, { code: "made-up", state: page.state }, page.cookie);
    expect(badCode.status).toBe(502);
    expect(badCode.page).toContain("Slack refused to complete the install (invalid_code)");
  });

  it.skipIf(postgresUrl !== undefined)("keeps no token readable in the database file", async () => {
    const tokens = bot.fake.oauth.tokensOf(() => true);
    expect(tokens.length).toBeGreaterThan(0);
    const files = [bot.databasePath, `${bot.databasePath}-wal`].filter((file) => {
      try {
        readFileSync(file);
        return true;
      } catch {
        return false;
      }
    });
    const bytes = Buffer.concat(files.map((file) => readFileSync(file)));
    // A positive control: the file is readable and holds the installs.
    expect(bytes.includes(Buffer.from("T0GRIDWS"))).toBe(true);
    for (const token of tokens) expect(bytes.includes(Buffer.from(token))).toBe(false);
    expect(bytes.includes(Buffer.from("xoxb-"))).toBe(false);
  });
});
