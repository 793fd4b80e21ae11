/*
 * One app instance's installation store in a process of its own, for the token-refresh test on one
 * SQLite file: it opens the store, says "ready", waits for "go" on stdin, then fetches the install
 * `FETCHES` times at once and prints the bot tokens it got as JSON. Settings come from the env.
 */
import { createInterface } from "node:readline";
import { readKeys } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { SealedInstallations } from "../../src/slack/installation-store.js";
import { openStore } from "../../src/store/open.js";

const env = process.env;
const keys = readKeys(env, []);
if (!keys) throw new Error("EM_FOCUS_ENCRYPTION_KEY is needed");
const store = await openStore(env.DATABASE_URL ?? "");
const installations = new SealedInstallations(
  store,
  {
    clientId: env.SLACK_CLIENT_ID ?? "",
    clientSecret: env.SLACK_CLIENT_SECRET ?? "",
    apiUrl: env.SLACK_API_URL ?? null,
    keys,
  },
  createLogger("error"),
);
process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line === "go") break;
lines.close();
const fetched = await Promise.all(
  Array.from({ length: Number(env.FETCHES ?? "10") }, () =>
    installations.fetchInstallation({
      teamId: env.TEAM_ID ?? "",
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    }),
  ),
);
process.stdout.write(`${JSON.stringify(fetched.map((installation) => installation.bot?.token))}\n`);
await store.close();
