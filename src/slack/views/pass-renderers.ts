import type { Library } from "../../content/types.js";
import type { RenderPrompt, RenderSummary } from "../../prompts/delivery-options.js";
import { nudgeBlocks } from "./nudge.js";
import { renderPromptMessage } from "./prompt.js";
import { summaryView } from "./summary.js";

/** The delivery pass's renderers: it is handed these and never imports the views itself. */
export function passRenderers(library: Library): {
  renderPrompt: RenderPrompt;
  renderSummary: RenderSummary;
} {
  return {
    renderPrompt: (prompt, delivery, extras) =>
      renderPromptMessage(library, prompt, delivery, extras?.nudge ? nudgeBlocks(library, extras.nudge) : []),
    renderSummary: (summary) => summaryView(library, summary),
  };
}
