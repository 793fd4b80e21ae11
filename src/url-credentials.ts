/**
 * Hides the credentials in URLs: the password of `scheme://user:password@host` and a `password=`
 * query parameter. The user info is taken to end at the LAST `@` before whitespace, so a password
 * with an unencoded `@` (`postgres://em:p@ss@db/em`) is hidden whole; masking too much is the safe
 * way to be wrong.
 */
export function maskUrlCredentials(text: string): string {
  return text
    .replace(
      /\b([a-z][\w+.-]*:\/\/)([^\s"'<>]*)@/gi,
      (_all, scheme: string, userinfo: string) => `${scheme}${maskUserinfo(userinfo)}@`,
    )
    .replace(/([?&](?:password|pass|pwd|token|secret)=)[^&#\s"']*/gi, "$1***");
}

function maskUserinfo(userinfo: string): string {
  const colon = userinfo.indexOf(":");
  // `user@host`: nothing secret unless the "user" is a token (`https://xoxb-…@host`), which the
  // token pattern in log.ts catches; a user without a password stays readable.
  if (colon < 0) return userinfo;
  return `${userinfo.slice(0, colon)}:***`;
}
