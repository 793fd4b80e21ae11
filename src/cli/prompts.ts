import { join } from "node:path";
import { type Config, ConfigError } from "../config.js";
import { loadLibrary, PROMPTS_FOLDER } from "../content/load.js";
import { loadPrompts } from "../content/prompts.js";
import { createLogger } from "../log.js";
import { type DeliveryReport, deliverDuePrompts } from "../prompts/deliver.js";
import { SlackTokenError } from "../prompts/slack-errors.js";
import { installClients } from "../slack/install-clients.js";
import { SealedInstallations } from "../slack/installation-store.js";
import { passRenderers } from "../slack/views/pass-renderers.js";
import { createWebClient } from "../slack-client.js";
import { openStore } from "../store/open.js";
import { parseOptions } from "./options.js";
import { COMMAND_USAGE, type Io, UsageError } from "./usage.js";

export function formatReport(report: DeliveryReport): string {
  const { pausedInstalls, ...counts } = report;
  const paused = Object.entries(pausedInstalls ?? {}).map(([install, why]) => `; paused ${install}: ${why}`);
  return (
    Object.entries(counts)
      .map(([what, n]) => `${what} ${n}`)
      .join(", ") + paused.join("")
  );
}

/** `em-focus prompts deliver [--now <ISO time>]`: one delivery pass, as the running app does each minute. */
export async function runPromptsCommand(args: string[], io: Io, config: Config): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand !== "deliver")
    throw new UsageError('did you mean "em-focus prompts deliver"?', COMMAND_USAGE.prompts);
  const { values } = parseOptions(rest, { now: { type: "string" } }, COMMAND_USAGE.prompts);
  let now: Date | undefined;
  if (values.now !== undefined) {
    now = new Date(values.now);
    if (Number.isNaN(now.getTime()))
      throw new UsageError("--now must be an ISO time such as 2026-03-09T09:00:00Z", COMMAND_USAGE.prompts);
  }
  if (!config.slack && !config.oauth) {
    throw new ConfigError([
      {
        variable: "SLACK_BOT_TOKEN",
        message: "missing — prompts are sent with the bot token (xoxb-…) from OAuth & Permissions.",
      },
    ]);
  }

  const logger = createLogger(config.logLevel, "em-focus prompts");
  const prompts = loadPrompts(join(config.contentDir, PROMPTS_FOLDER));
  const library = loadLibrary(config.contentDir, { baseUrl: config.contentBaseUrl });
  const store = await openStore(config.databaseUrl, { timeouts: config.databaseTimeouts });
  // OAuth mode: each workspace's prompts go with its own install's token (no client of its own).
  const oauth = config.oauth;
  const apiUrl = config.slack?.apiUrl ?? oauth?.apiUrl ?? null;
  const client = createWebClient(config.slack?.botToken ?? "", apiUrl, logger);
  try {
    const report = await deliverDuePrompts({
      store,
      client,
      ...(oauth
        ? { clients: installClients(new SealedInstallations(store, oauth, logger), apiUrl, logger) }
        : {}),
      prompts,
      logger,
      ...passRenderers(library),
      retentionDays: config.retentionDays,
      summaryDelayMs: config.summaryDelayHours * 60 * 60 * 1000,
      ...(now ? { now } : {}),
      ...(config.instanceId ? { instanceId: config.instanceId } : {}),
    });
    io.stdout.write(`prompts deliver: ${formatReport(report)}\n`);
    return report.errors > 0 ? 1 : 0;
  } catch (error) {
    if (!(error instanceof SlackTokenError)) throw error;
    // Nothing was sent; the due prompts stay due for the first pass after the fix.
    io.stderr.write(`prompts deliver: stopped, nothing more was sent. ${error.message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}
