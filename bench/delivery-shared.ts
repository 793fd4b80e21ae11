/** What the delivery benchmark and its child process agree on. */

export const BENCH_TEAM = "T0TEST";
/** The fake Slack's default time zone for users: the same zone means no rescheduling on users.info. */
export const BENCH_TIME_ZONE = "America/New_York";

export function benchUserId(index: number): string {
  return `UBENCH${String(index).padStart(5, "0")}`;
}

export interface CallTiming {
  calls: number;
  failures: number;
  /** Summed over the concurrent workers, so it can exceed the wall time. */
  totalMs: number;
  meanMs: number;
  maxMs: number;
}

export interface DeliveryChildResult {
  dialect: string;
  insertMs: number;
  passMs: number;
  report: Record<string, number>;
  rssBeforeMiB: number;
  peakRssMiB: number;
  peakHeapUsedMiB: number;
  /** Share of the pass the event loop was busy (0..1): near 1 means CPU-bound. */
  eventLoopUtilization: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  store: Record<string, CallTiming>;
  slack: Record<string, CallTiming>;
  logged: { warn: number; error: number; firstErrors: string[] };
}
