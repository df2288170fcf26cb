/**
 * The /scim verbs, listed once: the help's usage line is built from this, and
 * a test checks that the parser, the help text and the manifest's usage hint
 * agree with it. Pure.
 */
export const VERBS = [
  { verb: "check", brief: "check <login ID> [tenant]" },
  { verb: "explain", brief: "explain [topic] [idp]" },
  { verb: "activity", brief: "activity [tenant] [7d]" },
  { verb: "expect", brief: "expect <email…> [tenant] [idp=…] [at=…] [start=…]" },
  { verb: "pending", brief: "pending" },
  { verb: "forget", brief: "forget <email>" },
  { verb: "alerts", brief: "alerts #channel" },
  { verb: "onboarding", brief: "onboarding #channel" },
  { verb: "link", brief: "link <tenant>" },
  { verb: "unlink", brief: "unlink" },
  { verb: "connect", brief: "connect <tenant> entra|okta [app=…] [entra-tenant=…]" },
  { verb: "connections", brief: "connections" },
  { verb: "autoexpect", brief: "autoexpect <tenant> on|off" },
  { verb: "disconnect", brief: "disconnect <tenant>" },
  { verb: "webhook", brief: "webhook <tenant>" },
  { verb: "help", brief: "help" },
] as const;

/** "Usage: /scim check <login ID> [tenant] · /scim explain …" */
export const USAGE_LINE = `Usage: ${VERBS.map((v) => `/scim ${v.brief}`).join(" · ")}`;
