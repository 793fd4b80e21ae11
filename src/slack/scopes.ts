/**
 * The bot scopes an install asks for: the same list as manifest.yml's `oauth_config.scopes.bot`
 * (a test keeps them equal), each justified there and in docs/marketplace.md.
 */
export const BOT_SCOPES: readonly string[] = [
  "commands",
  "app_mentions:read",
  "chat:write",
  "channels:history",
  "groups:history",
  "im:history",
  "im:write",
  "users:read",
  "channels:read",
  "groups:read",
  "assistant:write",
];
