/** The shape of a `/scim` verb's listener: one file per verb, one line each in commands/index.ts. */
import type { App } from "@slack/bolt";
import type { Access } from "../../core/access.js";
import type { StoredLink } from "../../redis/links.js";
import type { SlackMessage } from "../../render/blocks.js";
import type { AckGate } from "../ack-first.js";
import type { SlackDeps } from "../deps.js";
import type { Guard } from "../guard.js";
import type { Request } from "../middleware.js";

/** What every listener is given: the services, and the guard built on them. */
export interface ListenerDeps extends SlackDeps {
  guard: Guard;
  /** Work after an ack waits for the acks of requests already received. */
  acks: AckGate;
}

export interface CommandRequest extends Request {
  triggerId: string;
  client: App["client"];
  /** Set by the guards the verb declares (commands/guards.ts). */
  access?: Access;
  /** The tenant the command names (or the linked channel's), resolved; null when none was named. */
  target?: { tenantId: string; tenantName: string } | null;
  /** This channel's link to a tenant. */
  link?: StoredLink;
}

/** What a verb needs before its work, checked in this order; each refusal is answered for it. */
export interface CommandGuards<C> {
  /** Access from here: a support channel, a linked channel, or an admin. */
  access?: boolean;
  /** Admins only: what the others are told. */
  adminsOnly?: SlackMessage;
  /** The tenant the command names, resolved within the person's access; `usage` when it is required. */
  tenant?: { of: (cmd: C) => string | undefined; usage?: string };
  /** This channel must be linked to a tenant: what is said otherwise. */
  linked?: SlackMessage;
}

export interface CommandListener<C> {
  guards?: CommandGuards<C>;
  /** What the person sees at once (Slack wants an answer within 3 s); absent: an empty acknowledgement. */
  ack?: (cmd: C, who: { admin: boolean }) => Pick<SlackMessage, "text"> | SlackMessage | undefined;
  /** What a failure message calls this work ("The check failed: …"). */
  what: string;
  /** The work after the acknowledgement; returns the outcome for the log. Absent when the ack is the answer. */
  run?: (deps: ListenerDeps, cmd: C, req: CommandRequest) => Promise<string>;
}
