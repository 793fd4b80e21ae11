import { type Config, ConfigError, type ConfigProblem, readKeys } from "../config.js";
import { rowContext } from "../store/installations.js";
import { openStore } from "../store/open.js";
import { decryptToken, encryptToken, keyById } from "../store/token-crypto.js";
import type { InstallationRow, Store } from "../store/types.js";
import { COMMAND_USAGE, type Io, UsageError } from "./usage.js";

export interface RotationReport {
  /** Installs whose tokens were sealed again under the current key. */
  rotated: number;
  /** Installs already under it. */
  current: number;
  /** Installs sealed under a key that was not given: left as they are. */
  unreadable: number;
}

/** Seals every install's tokens under `current`, reading them with whichever given key sealed them. */
export async function rotateKeys(
  store: Store,
  ring: NonNullable<ReturnType<typeof readKeys>>,
): Promise<RotationReport> {
  const report: RotationReport = { rotated: 0, current: 0, unreadable: 0 };
  let after: { enterprise_id: string; team_id: string } | null = null;
  for (;;) {
    const page: InstallationRow[] = await store.listInstallations(after, 200);
    for (const listed of page) {
      if (listed.key_id === ring.current.id) {
        report.current += 1;
        continue;
      }
      const key = {
        enterpriseId: listed.enterprise_id || null,
        teamId: listed.team_id || null,
        isEnterpriseInstall: listed.is_enterprise_install === 1,
      };
      // Locked and read again: a token refresh may have sealed it meanwhile.
      const outcome = await store.withInstallationLocked(key, async (row, save) => {
        if (!row || row.key_id === ring.current.id) return "current" as const;
        const old = keyById(ring, row.key_id);
        if (!old) return "unreadable" as const;
        const context = rowContext(row);
        const seal = (sealed: string) =>
          encryptToken(decryptToken(sealed, old, context), ring.current, context);
        await save({
          ...row,
          key_id: ring.current.id,
          bot_token: seal(row.bot_token),
          bot_refresh_token: row.bot_refresh_token === null ? null : seal(row.bot_refresh_token),
        });
        return "rotated" as const;
      });
      report[outcome] += 1;
    }
    const last = page.at(-1);
    if (!last || page.length < 200) return report;
    after = { enterprise_id: last.enterprise_id, team_id: last.team_id };
  }
}

/** `em-focus keys rotate`: after EM_FOCUS_ENCRYPTION_KEY was replaced, the old one in EM_FOCUS_OLD_ENCRYPTION_KEYS. */
export async function keysCommand(
  args: string[],
  io: Io,
  config: Config,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  if (args[0] !== "rotate" || args.length > 1)
    throw new UsageError('did you mean "em-focus keys rotate"?', COMMAND_USAGE.keys);
  const problems: ConfigProblem[] = [];
  const ring = readKeys(env, problems);
  if (!ring || problems.length > 0) throw new ConfigError(problems);
  const store = await openStore(config.databaseUrl, { timeouts: config.databaseTimeouts });
  try {
    const report = await rotateKeys(store, ring);
    io.stdout.write(
      `keys rotate: ${report.rotated} install(s) sealed again under key ${ring.current.id}, ${report.current} already under it, ${report.unreadable} under a key not given\n`,
    );
    if (report.unreadable > 0) {
      io.stderr.write(
        "keys rotate: some installs are sealed under a key that is neither EM_FOCUS_ENCRYPTION_KEY nor in EM_FOCUS_OLD_ENCRYPTION_KEYS; add that key to EM_FOCUS_OLD_ENCRYPTION_KEYS and run again (or those workspaces reinstall em-focus)\n",
      );
      return 1;
    }
    return 0;
  } finally {
    await store.close();
  }
}
