/**
 * C0 and C1 control characters (NUL, escape sequences, DEL, …) except tab and line breaks: never
 * shown, echoed or stored. Slack passes them through; databases and terminals choke on some.
 */
const CONTROL = /[^\P{Cc}\t\n\r]/gu;

/** What a person typed, without control characters. */
export function stripControl(text: string): string {
  return text.replace(CONTROL, "");
}
