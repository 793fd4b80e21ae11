/**
 * Problems found outside a request (a delivery pass refused by Slack, …), kept until the same
 * check passes again. `/healthz` answers 503 while any is set, with the reasons.
 */
export class Problems {
  private readonly current = new Map<string, string>();

  set(key: string, reason: string): void {
    this.current.set(key, reason);
  }

  clear(key: string): void {
    this.current.delete(key);
  }

  private readonly paused = new Map<string, string>();

  /** Installs whose prompts wait because Slack refused their token (`/healthz` detail, not a 503). */
  pauseInstall(install: string, reason: string): void {
    this.paused.set(install, reason);
  }

  /** Sets the paused installs to exactly these (after each delivery pass). */
  setPausedInstalls(paused: ReadonlyMap<string, string>): void {
    this.paused.clear();
    for (const [install, reason] of paused) this.paused.set(install, reason);
  }

  pausedInstalls(): Record<string, string> {
    return Object.fromEntries(this.paused);
  }

  /** The problems now, by key; empty when all is well. */
  list(): Record<string, string> {
    return Object.fromEntries(this.current);
  }
}
