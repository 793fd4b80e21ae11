/**
 * Remembers event ids for a while so that Slack's retries of an event (sent when it thinks our
 * first answer was lost) never produce a second reply. Slack retries within about five minutes.
 */
export class RecentEvents {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 15 * 60_000,
    private readonly maxSize = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time an id is offered within the time window, false for every repeat. */
  firstTime(id: string): boolean {
    const now = this.now();
    this.evict(now);
    if (this.seen.has(id)) return false;
    this.seen.set(id, now + this.ttlMs);
    return true;
  }

  private evict(now: number): void {
    // Map keeps insertion order and every entry has the same TTL, so expired ones are at the front.
    for (const [id, expires] of this.seen) {
      if (expires > now && this.seen.size <= this.maxSize) break;
      this.seen.delete(id);
    }
  }
}
