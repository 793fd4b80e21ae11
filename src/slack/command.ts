/** What a `/em-focus …` invocation asks for. Anything that is not a known subcommand is a question. */
export type Command =
  | { kind: "help" }
  | { kind: "ask"; question: string }
  | { kind: "subscribe"; args: string }
  | { kind: "unsubscribe" }
  | { kind: "skip" }
  | { kind: "status" }
  | { kind: "forget-me" }
  | { kind: "focus"; args: string };

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

export function parseCommand(text: string): Command {
  const trimmed = text.trim();
  if (trimmed === "") return { kind: "help" };
  // Most invocations are questions: only a known first word needs the rest cut into words.
  const space = trimmed.search(/\s/);
  const kind = SUBCOMMANDS[(space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase()];
  if (kind === undefined) return { kind: "ask", question: trimmed };
  const [, ...rest] = trimmed.split(/\s+/);
  const args = rest.join(" ");
  switch (kind) {
    case "help":
      return rest.length === 0 ? { kind } : { kind: "ask", question: trimmed };
    case "subscribe":
      return { kind, args };
    case "focus":
      // "focus wide", "focus off", "focus" alone (shows it); anything longer is a question.
      return rest.length <= 1 ? { kind, args } : { kind: "ask", question: trimmed };
    case "unsubscribe":
    case "skip":
    case "status":
    case "forget-me":
      // "stop managing and code again?" is a question, not "stop" with arguments.
      return rest.length === 0 ? { kind } : { kind: "ask", question: trimmed };
    default:
      return { kind: "ask", question: trimmed };
  }
}

/** The question in a mention: the text without the mention of the bot itself. */
export function mentionQuestion(text: string, botUserId: string | undefined): string {
  const self = botUserId
    ? new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, "g")
    : /^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>/;
  return text.replace(self, " ").replace(/\s+/g, " ").trim();
}
