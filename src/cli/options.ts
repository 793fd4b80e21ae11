import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./usage.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Edit distance counting a swap of two neighbours as one edit (`--jsno`); small strings only. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(
        at(i - 1, j) + 1,
        at(i, j - 1) + 1,
        at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The known option a mistyped one most likely meant (`--jsno`, `-json`, `--JSON` → `--json`), or null. */
export function closestOption(typed: string, known: readonly string[]): string | null {
  const word = typed.replace(/^-+/, "").split("=")[0]?.toLowerCase() ?? "";
  let best: { name: string; d: number } | null = null;
  for (const name of known) {
    const d = distance(word, name);
    if (d <= (name.length <= 3 ? 1 : 2) && d < word.length && (!best || d < best.d)) best = { name, d };
  }
  return best ? `--${best.name}` : null;
}

/**
 * `parseArgs` whose mistakes read as people's: an unknown option names the one it most likely meant
 * ("did you mean --json?"); every mistake is a UsageError with the command's own usage.
 */
export function parseOptions<T extends Options>(
  args: string[],
  options: T,
  usage: string,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const typed =
        /'([^']+)'/.exec((error as Error).message)?.[1] ?? args.find((a) => a.startsWith("-")) ?? "";
      const known = Object.keys(options);
      const guess = closestOption(typed, known);
      const list = known.map((name) => `--${name}`).join(", ");
      throw new UsageError(
        `unknown option "${typed}"${guess ? `; did you mean ${guess}?` : ` (known: ${list})`}`,
        usage,
      );
    }
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      const extra = /'([^']+)'/.exec((error as Error).message)?.[1];
      throw new UsageError(`unexpected argument${extra ? ` "${extra}"` : ""}`, usage);
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      throw new UsageError((error as Error).message.replace(/\s+To specify.*$/s, ""), usage);
    }
    throw new UsageError(error instanceof Error ? error.message : String(error), usage);
  }
}
