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

  /** The problems now, by key; empty when all is well. */
  list(): Record<string, string> {
    return Object.fromEntries(this.current);
  }
}
