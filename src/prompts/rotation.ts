import type { Prompt } from "../content/prompts.js";

export interface NextPrompt {
  readonly prompt: Prompt;
  /** The rotation to store once `prompt` is sent: ids used in the current pass, `prompt` last. */
  readonly promptsUsed: readonly string[];
  /** True when every prompt had been used and the rotation started over. */
  readonly startedOver: boolean;
}

function byOrder(a: Prompt, b: Prompt): number {
  return a.order - b.order || a.id.localeCompare(b.id);
}

/**
 * The subscriber's next prompt: the lowest `order` not yet used in this pass, or the first one
 * again once all are used. Ids of prompts that no longer exist are dropped, so removing a file
 * cannot stall a rotation; a newly added prompt is picked up in the current pass.
 */
export function nextPromptFor(
  prompts: readonly Prompt[],
  promptsUsed: readonly string[],
): NextPrompt | undefined {
  const sorted = [...prompts].sort(byOrder);
  const first = sorted[0];
  if (!first) return undefined;
  const existing = new Set(sorted.map((p) => p.id));
  const used = promptsUsed.filter((id) => existing.has(id));
  const usedSet = new Set(used);
  const unused = sorted.find((p) => !usedSet.has(p.id));
  if (!unused) return { prompt: first, promptsUsed: [first.id], startedOver: true };
  return { prompt: unused, promptsUsed: [...used, unused.id], startedOver: false };
}
