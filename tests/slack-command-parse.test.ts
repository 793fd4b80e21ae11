import { describe, expect, it } from "vitest";
import { loadQuestions } from "../bench/common.js";
import { type Command, parseCommand } from "../src/slack/command.js";

const SUBCOMMANDS: Record<string, Command["kind"]> = {
  help: "help",
  "?": "help",
  subscribe: "subscribe",
  unsubscribe: "unsubscribe",
  stop: "unsubscribe",
  skip: "skip",
  status: "status",
  "forget-me": "forget-me",
  forget: "forget-me",
  focus: "focus",
};

/** The reading before the fast path (every text cut into words first): the answers must not move. */
function cutIntoWordsFirst(text: string): Command {
  const trimmed = text.trim();
  if (trimmed === "") return { kind: "help" };
  const [first = "", ...rest] = trimmed.split(/\s+/);
  const kind = SUBCOMMANDS[first.toLowerCase()];
  const args = rest.join(" ");
  switch (kind) {
    case "help":
      return rest.length === 0 ? { kind } : { kind: "ask", question: trimmed };
    case "subscribe":
      return { kind, args };
    case "focus":
      return rest.length <= 1 ? { kind, args } : { kind: "ask", question: trimmed };
    case "unsubscribe":
    case "skip":
    case "status":
    case "forget-me":
      return rest.length === 0 ? { kind } : { kind: "ask", question: trimmed };
    default:
      return { kind: "ask", question: trimmed };
  }
}

describe("parseCommand", () => {
  it("reads subcommands and questions as cutting every text into words first did", () => {
    const texts = [
      "",
      "   ",
      "help",
      "HELP",
      "help me choose",
      "?",
      "? what",
      "subscribe",
      "subscribe monday 9:00 Europe/Berlin",
      "Subscribe\tfriday\n 17:00",
      "unsubscribe",
      "stop",
      "stop managing and code again?",
      "skip",
      "skip this week",
      "  status  ",
      "forget",
      "forget-me",
      "forget me",
      "focus",
      "focus wide",
      "focus\u00a0wide",
      "FOCUS   off",
      "focus on what matters most",
      "constructor of a team",
      "toString",
      "__proto__ x",
      "hasOwnProperty",
      "I miss coding, should I go back?",
      ...loadQuestions().map((q) => q.question),
    ];
    for (const text of texts)
      expect(parseCommand(text), JSON.stringify(text)).toEqual(cutIntoWordsFirst(text));
  });
});
