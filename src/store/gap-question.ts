/** The longest question kept; the rest says nothing more about the gap. */
export const GAP_QUESTION_MAX = 1000;

/** Seven digits or more, with the separators people put in numbers: a phone number or something as personal. */
const NUMBER_RUN = /\+?[\d(][\d\s()./-]{5,}\d/g;
const MIN_PHONE_DIGITS = 7;

/** Slack's markup: every `<…>` in a message is a mention, a channel (with its name), a group or a link. */
function withoutMarkup(text: string): string {
  return text.replace(/<[^<>]*>/g, " ");
}

/**
 * The question as a knowledge gap may keep it: the words someone asked, never who or where. A gap is
 * read by people who must not learn from it who asked or what about whom (`<#C1|falcon-layoffs>` names
 * a private matter as surely as a person), so removed are: Slack mentions of people, groups and
 * channels with their names, links and their labels, e-mail addresses and `mailto:`, `@handles` and
 * `#channel-names` typed as text, and phone-number-like runs of seven digits or more (long ids go
 * with them, which costs a gap nothing). The same rule runs when a gap is written and in the
 * migration that cleaned the rows written before it.
 */
export function privateQuestion(raw: string): string {
  // Cut first, so that the patterns below see at most a few thousand characters whatever was typed;
  // the word the cut went through goes too (half a mention or address is still one), and so does an
  // unclosed `<…` the cut left behind.
  const cut =
    raw.length > GAP_QUESTION_MAX * 2
      ? raw
          .slice(0, GAP_QUESTION_MAX * 2)
          .replace(/\S*$/, "")
          .replace(/<[^<>]*$/, "")
      : raw;
  const decoded = withoutMarkup(cut).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  return (
    withoutMarkup(decoded)
      .replace(/\bmailto:\S*/gi, " ")
      // The look-behind lets an address start only where a run of such characters starts: linear.
      .replace(/(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu, " ")
      .replace(/\b(?:[a-z][a-z0-9+.-]*):\/\/\S*/gi, " ")
      .replace(/\bwww\.\S+/gi, " ")
      .replace(/(?<![\p{L}\p{N}._-])@[\p{L}\p{N}._-]+/gu, " ")
      .replace(/(?<![\p{L}\p{N}&#])#\p{L}[\p{L}\p{N}_-]*/gu, " ")
      .replace(NUMBER_RUN, (run) => ((run.match(/\d/g)?.length ?? 0) >= MIN_PHONE_DIGITS ? " " : run))
      .replace(/\p{Cc}+/gu, " ")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, GAP_QUESTION_MAX)
      // Never half an emoji: a lone surrogate is stored as U+FFFD and listed as "�".
      .replace(/[\uD800-\uDBFF]$/, "")
  );
}
