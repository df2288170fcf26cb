/** Usage lines of the commands that load the whole bot (kept apart so `check` need not import them). */
export const START_USAGE = "usage: scimwatch start [--role all|bot|worker]";
export const DOCTOR_USAGE = "usage: scimwatch doctor";
export const MANIFEST_USAGE = "usage: scimwatch manifest [--http https://your-host]";

/** Longer help for `scimwatch <command> --help`. */
export const START_HELP = `${START_USAGE}

Runs the bot until SIGTERM/SIGINT. Reads ./.env (the environment wins).
  --role all     Slack and the jobs (audit tail, evaluations, alerts); the default
  --role bot     Slack only
  --role worker  the jobs only (with /healthz, /healthz/tail and /readyz on PORT)
`;

export const DOCTOR_HELP = `${DOCTOR_USAGE}

Checks every setting and connection (Descope, Redis, Slack) and says what to
fix. Exit 0 when everything works (warnings included), 1 otherwise.
`;

export const MANIFEST_HELP = `${MANIFEST_USAGE}

Prints the Slack app manifest: for Socket Mode as shipped, or with --http the
same app with every request URL set to <url>/slack/events for HTTP mode.
`;

export const EXPECT_USAGE =
  "usage: scimwatch expect --tenant <id-or-name> --file <hires.csv|hires.jsonl|-> [--channel <C…>] [--json]";

export const EXPECT_HELP = `${EXPECT_USAGE}

Registers expected hires from a file, as /scim expect does: they are stored in
Redis, their checklist is posted, and they are followed until they can sign in.
  --file <path>           CSV with a header row: email (required), name,
                          start_date, assigned_at, idp; or JSON lines
                          ({"email":…,"name":…,"startDate":…}); - reads stdin
  --tenant <id-or-name>   the Descope tenant
  --channel <C…>          where the checklist goes (default: the tenant's onboarding
                          channel, else its linked channel, else
                          SCIMWATCH_ALERT_CHANNEL)
Environment: as \`scimwatch start\` (Slack, Descope, Redis), read from ./.env too.
Exit 0 registered (bad rows are listed), 1 a service failed, 2 bad usage or file.
`;

export const RECONCILE_USAGE =
  "usage: scimwatch reconcile --tenant <id-or-name> [--entra-tenant <id> --entra-app <name|appId> [--sync-all] | --okta-url <url> --okta-app <label|id>] [--json] [--csv <file>]";

export const RECONCILE_HELP = `${RECONCILE_USAGE}

Who is out of sync in a tenant: everyone the IdP has in scope for the app but
Descope lacks (missing), everyone SCIM-managed and enabled in Descope whom the
IdP no longer has in scope or has disabled (orphaned), disabled on one side
only (state_mismatch), only in a nested group (nested_only, Entra), created by
JIT or by hand (not_scim_managed), assigned inside the IdP's window (pending).
Without connector options: Descope's side alone.
  --tenant <id-or-name>   the Descope tenant
  --entra-tenant, --entra-app, --okta-url, --okta-app
                          the IdP's side, as for \`scimwatch check\`
  --sync-all              Entra's app provisions every user ("Sync all users
                          and groups"; a read-only app cannot read that setting)
  --json                  one object on stdout: {tenantId, tenantName, idp, at,
                          counts, people: [{loginId, category, idpState,
                          descopeState, fix}]}
  --csv <file>            also write every row to <file>
Progress goes to stderr. Exit 0 an answer, 1 Descope or the IdP failed, 2 bad usage.
`;

export const LEAVE_USAGE =
  "usage: scimwatch leave --tenant <id-or-name> --file <leavers.csv|.jsonl|-> [--channel <C…>] [--json]";

export const LEAVE_HELP = `${LEAVE_USAGE}

Registers people who are leaving, from a CSV file with a header row (email,
name, last_day) or JSON lines ({"email", "name", "lastDay"}). last_day is a
date (access ends after it, UTC) or an ISO time with a zone; none: now. The
bot's offboarding checklist ticks as the IdP removes them, Descope deactivates
them and no sign-in follows; an alert if they are still enabled in Descope
after their last day plus the IdP's window. Needs the bot's settings (Redis,
Descope, Slack). Exit 0 registered, 1 a failure, 2 bad usage.
`;

export const ACT_USAGE =
  "usage: scimwatch act push-now|restart|assign|rotate-key|revoke-old-keys --tenant <id-or-name> [--login <loginId>] [--sso <ssoId>] [--keep <keyId>] [--entra-tenant <id> --entra-app <name|appId>] [--dry-run] [--yes] [--json]";

export const ACT_HELP = `${ACT_USAGE}

A fix-it action from a terminal, for an operator who holds the credentials
(no approval: you are the second pair of eyes).
  push-now          Entra's Provision on demand for one user (--login), with each step's result
  restart           Entra's Restart provisioning (lifts quarantine; the next cycle re-reads everyone)
  assign            Okta: add --login to the group assigned to the app (else assign directly)
  rotate-key        Descope: a new SCIM key (the old stays valid); with Entra write access it is
                    validated and saved as the job's secret, then the old keys are deactivated;
                    otherwise its token is printed once
  revoke-old-keys   Descope: deactivate the old SCIM keys, keep --keep active
  --tenant          the Descope tenant: the bot's settings (.env) and the tenant's stored
                    connection and write access (/scim connect, /scim write) say what to call
  --sso             the SSO configuration of the key (default: the tenant's default one)
  --entra-tenant, --entra-app
                    push-now/restart on this Entra app, without the bot's settings:
                    ENTRA_CLIENT_ID/SECRET (reads), ENTRA_WRITE_CLIENT_ID/SECRET (the write app)
  --dry-run         print exactly what would be called, send nothing (exit 0)
  --yes             make the call (without it nothing is sent, exit 2)
  --json            {call, state, outcome, steps, verdictAfter[, token]}
Exit 0 done, 1 the call failed or could not be made, 2 bad usage.
`;
