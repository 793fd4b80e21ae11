/**
 * Where the question is in a message. People who write to a forum, a colleague or a bot lead with
 * their situation — two or three sentences of who they are and what happened — and ask last. The
 * situation's words are mostly ones the content never uses; read at full weight they drown the
 * question and push towards "no guidance". So a message is split into the sentences that ask and
 * the rest, and the matcher reads the rest at a lower weight (`contextWeight`).
 */

/** A message cut into the part that asks and the situation around it. */
export interface MessageParts {
  /** The sentences that ask; the whole message when none or all of them do. */
  readonly asking: string;
  /** The other sentences: who the person is, what happened. Empty when the message is one part. */
  readonly context: string;
}

/** Openings of a sentence that asks even without a question mark ("should I stay or go"). */
const ASKING_START =
  /^(?:how|what|what's|whats|why|when|where|which|who|whom|whose|should|shall|is|are|am|do|does|did|can|could|would|will|was|were|has|have|any|anyone|anybody|advice|thoughts|tips|ideas|help|isn't|aren't|don't|doesn't|wouldn't|shouldn't|can't|cannot)\b/i;
/** A sentence that asks in so many words ("I'm wondering whether…", "looking for advice on…"). */
const ASKING_WORDS =
  /\b(?:wondering|wonder if|wonder whether|advice|advise|thoughts on|suggestions?|recommend|tips|insights?|opinions?|help me|any idea|unsure whether|not sure (?:whether|if|how|what)|curious (?:whether|if|how|what)|how (?:do|can|should|would) i)\b/i;

/** The sentences of a message: cut after . ! ? … and at line breaks, never inside "e.g." or "1.5". */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+(?=\S)|\n+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => /[\p{L}\p{N}]/u.test(sentence));
}

export function asks(sentence: string): boolean {
  return sentence.includes("?") || ASKING_START.test(sentence) || ASKING_WORDS.test(sentence);
}

/** Splits a cleaned message (markup already removed) into the part that asks and its situation. */
export function splitMessage(text: string): MessageParts {
  const sentences = sentencesOf(text);
  if (sentences.length < 2) return { asking: text, context: "" };
  const asking: string[] = [];
  const context: string[] = [];
  for (const sentence of sentences) (asks(sentence) ? asking : context).push(sentence);
  if (asking.length === 0 || context.length === 0) return { asking: text, context: "" };
  return { asking: asking.join(" "), context: context.join(" ") };
}
