import type { Prompt } from "../content/prompts.js";
import type { Store } from "../store/store.js";
import type { DeliveryLogger, DeliveryReport, RenderPrompt } from "./delivery-options.js";
import type { PacedSlack } from "./pacer.js";

/**
 * What one delivery pass shares with the steps it runs (due-claims.ts, delivery-send.ts,
 * delivery-retry.ts): its settings, its report, and its clock.
 */
export interface PassContext {
  readonly store: Store;
  /** Names this instance in leases. */
  readonly owner: string;
  readonly logger: DeliveryLogger;
  readonly report: DeliveryReport;
  readonly slack: PacedSlack;
  readonly prompts: readonly Prompt[];
  readonly promptsById: ReadonlyMap<string, Prompt>;
  readonly render: RenderPrompt;
  readonly leaseMs: number;
  readonly maxLatenessMs: number;
  readonly retryDelaysMs: readonly number[];
  readonly maxAttempts: number;
  /** Who has an intended focus, read once per pass (undefined: ask for each prompt). */
  readonly focusHolders: ReadonlySet<string> | undefined;
  /** The pass's start plus the real time elapsed since. */
  clock(): Date;
  /** Work the pass waits for before it ends (an outcome recorded in the background); never rejects. */
  track(work: Promise<void>): void;
}
