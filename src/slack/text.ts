/**
 * C0 and C1 control characters (NUL, escape sequences, DEL, …) except tab and line breaks: never
 * shown, echoed or stored. Slack passes them through; databases and terminals choke on some. With
 * them go lone surrogates (`\uD83D` in a JSON body, half an emoji): no character at all, stored as
 * U+FFFD and echoed as ill-formed text. A whole emoji is one code point here and stays.
 */
const CONTROL = /[^\P{Cc}\t\n\r]|\p{Cs}/gu;

/** What a person typed, without control characters or lone surrogates. */
export function stripControl(text: string): string {
  return text.replace(CONTROL, "");
}
