/** The shape of a `/scim` verb's listener: one file per verb, one line each in commands/index.ts. */
import type { App } from "@slack/bolt";
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
}

export interface CommandListener<C> {
  /** What the person sees at once (Slack wants an answer within 3 s); absent: an empty acknowledgement. */
  ack?: (cmd: C) => Pick<SlackMessage, "text"> | SlackMessage | undefined;
  /** What a failure message calls this work ("The check failed: …"). */
  what: string;
  /** The work after the acknowledgement; returns the outcome for the log. Absent when the ack is the answer. */
  run?: (deps: ListenerDeps, cmd: C, req: CommandRequest) => Promise<string>;
}
