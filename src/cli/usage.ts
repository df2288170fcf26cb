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
