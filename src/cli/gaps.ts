import type { Config } from "../config.js";
import { groupGaps, parseSince } from "../gaps.js";
import { GAP_RETENTION_DAYS } from "../store/gaps.js";
import { openStore } from "../store/open.js";
import { parseOptions } from "./options.js";
import { COMMAND_USAGE, type Io, UsageError } from "./usage.js";

/** `em-focus gaps [--since 30d] [--json]`: knowledge gaps grouped by wording, most frequent first. */
export async function gapsCommand(args: string[], io: Io, config: Config, now = new Date()): Promise<number> {
  const { values } = parseOptions(
    args,
    { since: { type: "string" }, json: { type: "boolean", default: false } },
    COMMAND_USAGE.gaps,
  );
  const span = parseSince(values.since ?? "30d");
  if (span === null)
    throw new UsageError(`--since must look like 12h, 30d or 2w, got "${values.since}"`, COMMAND_USAGE.gaps);
  const store = await openStore(config.databaseUrl, { timeouts: config.databaseTimeouts });
  try {
    await store.pruneGaps(now);
    const groups = groupGaps(await store.listGaps(new Date(now.getTime() - span)));
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ since: new Date(now.getTime() - span).toISOString(), groups })}\n`);
      return 0;
    }
    if (groups.length === 0) {
      io.stdout.write(
        `No knowledge gaps since ${values.since ?? "30d"} ago${config.recordGaps ? "" : " (RECORD_GAPS=off: none are recorded)"}.\n`,
      );
      return 0;
    }
    for (const group of groups) {
      const why = [
        group.offTopic ? `${group.offTopic} no guidance` : "",
        group.notHelpful ? `${group.notHelpful} 👎 on ${group.sections.join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("; ");
      io.stdout.write(`${String(group.count).padStart(4)}  ${oneLine(group.question)}  (${why})\n`);
      for (const variant of group.variants) io.stdout.write(`        also: ${oneLine(variant)}\n`);
    }
    io.stdout.write(
      `${groups.length} group(s). Add aliases or examples in content/ for these (gaps are kept ${GAP_RETENTION_DAYS} days).\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\p{Cc}+/gu, " ");
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
}
