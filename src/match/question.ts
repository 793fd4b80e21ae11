/** Longest question text we read. Anything past it is rambling that would only slow matching. */
export const MAX_QUESTION_CHARS = 2_000;

/**
 * The words of a question as a person meant them: Slack markup (mentions, channel and group
 * pings, links, emoji codes, formatting) removed, entities decoded, white space folded.
 */
export function cleanQuestion(raw: string): string {
  return raw
    .slice(0, MAX_QUESTION_CHARS * 2)
    .replace(/<([@#!][^>|]*)(?:\|[^>]*)?>/g, " ") // <@U123>, <#C1|general>, <!channel>, <!subteam^S1|@team>
    .replace(/<(?:https?|mailto):[^>|]*\|([^>]*)>/g, " $1 ") // a link keeps its label
    .replace(/<(?:https?|mailto):[^>]*>/g, " ")
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/(?<![\p{L}\p{N}]):[a-z0-9_+'-]+:/giu, " ") // :thinking_face:, :+1:, :skin-tone-2:, not 1:1s:
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/[*_~`]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_QUESTION_CHARS);
}
