/**
 * Honestly two questions in one (switching back to IC, and what it costs executive ambitions), which
 * the shipped matcher answers with IC while offering the VP-path section as "Also relevant". The
 * tests of that button in Slack, the playground and the CLI use it; tests/match.test.ts fails first,
 * with this name, if retraining ever stops offering the alternative.
 */
export const TWO_SECTIONS = "is it fine to switch back to IC as an engineer even if it hurts my VP chances";
