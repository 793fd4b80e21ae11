import type { DeliveryLogger, InstallClient, InstallClients, PromptSlackClient } from "./delivery-options.js";
import { type SlackFailure, SlackTokenError } from "./slack-errors.js";
import type { LookupContext } from "./slack-lookups.js";

/** The one install of single-workspace mode (SLACK_BOT_TOKEN). */
const SINGLE = "SLACK_BOT_TOKEN";

type TokenFailure = Extract<SlackFailure, { kind: "token" }>;

/**
 * The clients of one delivery pass, per workspace, and the installs Slack refused during it. With
 * one SLACK_BOT_TOKEN a refusal stops the whole pass (nothing else could be sent). With many
 * installs it pauses only that install's prompts, for this pass: they stay due, and the install is
 * named in the log and in /healthz until a pass gets through.
 */
export class PassClients {
  private readonly failures = new Map<string, { reason: string; method: string; error: SlackTokenError }>();
  private readonly byTeam = new Map<string, Promise<InstallClient | undefined>>();
  private readonly contexts = new Map<string, LookupContext>();

  constructor(
    private readonly single: PromptSlackClient,
    private readonly installs: InstallClients | undefined,
    private readonly logger: DeliveryLogger,
  ) {}

  /** The token error that stops a single-workspace pass, once there is one. */
  get stopped(): SlackTokenError | undefined {
    return this.installs ? undefined : this.failures.get(SINGLE)?.error;
  }

  /** Installs paused this pass, each with why (for the report and /healthz). */
  paused(): Record<string, string> {
    if (!this.installs) return {};
    return Object.fromEntries(
      [...this.failures].map(([install, f]) => [
        install,
        `Slack refused its token (${f.reason}) on ${f.method}; its prompts stay due until it is reinstalled`,
      ]),
    );
  }

  /** The look-up context for a workspace, or undefined when its install is paused (its work waits). */
  async contextFor(
    teamId: string,
    base: Omit<LookupContext, "client" | "tokenError">,
  ): Promise<LookupContext | undefined> {
    const found = await this.forTeam(teamId);
    if (!found) return undefined;
    // One per workspace and pass: asked for every prompt, and `base` is the whole pass.
    let ctx = this.contexts.get(teamId);
    if (!ctx || ctx.client !== found.client) {
      ctx = {
        slack: base.slack,
        logger: base.logger,
        historyLimit: base.historyLimit,
        client: found.client,
        tokenError: (method, failure) => this.tokenError(found.install, method, failure),
      };
      this.contexts.set(teamId, ctx);
    }
    return ctx;
  }

  /** The client for a workspace, or undefined when its install is paused this pass. */
  async forTeam(teamId: string): Promise<InstallClient | undefined> {
    if (!this.installs)
      return this.failures.has(SINGLE) ? undefined : { install: SINGLE, client: this.single };
    let found = this.byTeam.get(teamId);
    if (!found) {
      found = this.resolve(this.installs, teamId);
      this.byTeam.set(teamId, found);
    }
    const client = await found;
    return client && !this.failures.has(client.install) ? client : undefined;
  }

  private async resolve(installs: InstallClients, teamId: string): Promise<InstallClient | undefined> {
    try {
      const client = await installs.forTeam(teamId);
      if (!client)
        this.tokenError(`workspace ${teamId}`, "installations", { kind: "token", reason: "not_installed" });
      return client;
    } catch (error) {
      this.logger.error(`Cannot open the install serving workspace ${teamId}`, error);
      this.tokenError(`workspace ${teamId}`, "installations", {
        kind: "token",
        reason: "install_unreadable",
      });
      return undefined;
    }
  }

  /** Records a refused token: the first one of each install is logged loudly. */
  tokenError(install: string, method: string, failure: TokenFailure): void {
    if (this.failures.has(install)) return;
    const error = new SlackTokenError(failure.reason, method, failure.needed);
    this.failures.set(install, { reason: failure.reason, method, error });
    if (this.installs)
      this.logger.error(
        `Prompts of ${install} paused for this pass: Slack refused its token (${failure.reason}) on ${method}. They stay due; the other installs go on.`,
      );
    else this.logger.error(`Prompt delivery stopped: ${error.message}`);
  }
}
