/**
 * The one way every Slack request is handled, whatever its kind (command,
 * button, view, event, options): who and where, one log line with kind,
 * outcome and milliseconds, and every failure answered the same way — what
 * failed and when to retry (render/notices.ts), never a stack or silence.
 */
import type {
  AllMiddlewareArgs,
  RespondFn,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from "@slack/bolt";
import type { PlainTextOption } from "@slack/types";
import { DeadlineError, failureOf } from "../core/failure.js";
import type { Logger } from "../log/logger.js";
import type { SlackMessage } from "../render/blocks.js";
import { failureMessage } from "../render/notices.js";
import type { Who } from "./guard.js";

/** Where a request's one log line and its metrics go. */
interface Obs {
  log: Logger;
  metrics?: { observe(kind: string, outcome: string, ms: number): void } | undefined;
}

/** Answers the person: ephemeral by default, in the channel, or in place of the clicked message. */
type Reply = (msg: SlackMessage, how?: { inChannel?: boolean; replace?: boolean }) => Promise<void>;

export interface Request {
  who: Who;
  reply: Reply;
}

const noReply: Reply = async () => {};

/**
 * Replies through a response_url. A command's ephemeral reply replaces its
 * "working on it" acknowledgement; a button's adds a message beside the one clicked.
 */
export function replyVia(respond: RespondFn, log: Logger, from: "command" | "button"): Reply {
  // "command": ephemeral answers replace the acknowledgement (or the message clicked).
  return async (msg, how) => {
    const where = how?.replace
      ? { replace_original: true }
      : how?.inChannel
        ? {
            response_type: "in_channel" as const,
            ...(from === "button" ? { replace_original: false } : {}),
          }
        : { response_type: "ephemeral" as const, replace_original: from === "command" };
    try {
      await respond({ ...where, ...msg });
    } catch (e) {
      log.warn({ err: e }, "respond failed");
    }
  };
}

/**
 * Runs one request: the body returns its outcome; a failure becomes the
 * outcome's code and an answer; one log line either way.
 */
export async function handle(
  obs: Obs,
  kind: string,
  what: string,
  req: Request,
  body: () => Promise<string>,
): Promise<void> {
  const { log } = obs;
  const started = Date.now();
  let outcome = "error";
  try {
    outcome = await body();
  } catch (e) {
    const f = failureOf(e);
    outcome = f.code;
    if (!f.expected) log.error({ kind, err: e }, `${kind} failed`);
    await req.reply(failureMessage(e, what));
  } finally {
    log.info({
      kind,
      user: req.who.userId,
      channel: req.who.channelId,
      outcome,
      ms: Date.now() - started,
    });
    obs.metrics?.observe(kind, outcome, Date.now() - started);
  }
}

export function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(ms)), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

/** Who clicked, and in which channel (messages and ephemeral messages alike). */
function clickedBy(body: unknown): Who {
  const b = body as {
    user?: { id?: string; team_id?: string };
    enterprise?: { id?: string } | null;
    channel?: { id?: string };
    container?: { channel_id?: string };
  };
  return {
    userId: b.user?.id ?? "",
    channelId: b.channel?.id ?? b.container?.channel_id ?? "",
    // The clicker's own workspace: another organisation's in a Slack Connect channel.
    teamId: b.user?.team_id,
    enterpriseId: b.enterprise?.id ?? undefined,
  };
}

/** The value of the clicked button, or of the option picked in a menu. */
export function clickedValue(body: unknown): string {
  const a = (body as { actions?: Array<{ value?: string; selected_option?: { value?: string } }> })
    .actions?.[0];
  return a?.value ?? a?.selected_option?.value ?? "";
}

type ActionArgs = SlackActionMiddlewareArgs & AllMiddlewareArgs;

/**
 * A button or menu: acknowledged at once, then handled. `quiet` for surfaces
 * without a response_url (App Home); `inPlace` when its answers replace the
 * message clicked (a re-check updates the answer it was clicked on).
 */
export function onAction(
  obs: Obs,
  kind: string,
  what: string,
  body: (args: ActionArgs, req: Request) => Promise<string>,
  opts: { quiet?: boolean; inPlace?: boolean } = {},
) {
  return async (args: ActionArgs): Promise<void> => {
    await args.ack();
    const req = {
      who: clickedBy(args.body),
      reply: opts.quiet
        ? noReply
        : replyVia(args.respond, obs.log, opts.inPlace ? "command" : "button"),
    };
    await handle(obs, kind, what, req, () => body(args, req));
  };
}

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

/** A form submission: the body acknowledges it (errors in the form, or an update). */
/** Who submitted a form, and the channel it was opened from (kept in its private metadata). */
export function formSubmitter(
  decode: (raw: string | undefined) => { channelId: string } | null,
): (args: ViewArgs) => Who {
  return ({ body }) => ({
    userId: body.user.id,
    channelId: decode(body.view.private_metadata)?.channelId ?? "",
    teamId: body.user.team_id,
  });
}

export function onView(
  obs: Obs,
  kind: string,
  what: string,
  whoOf: (args: ViewArgs) => Who,
  body: (args: ViewArgs, req: Request) => Promise<string>,
) {
  return async (args: ViewArgs): Promise<void> => {
    const req = { who: whoOf(args), reply: noReply };
    await handle(obs, kind, what, req, () => body(args, req));
  };
}

type EventArgs<E extends string> = SlackEventMiddlewareArgs<E> & AllMiddlewareArgs;

/** An event: nobody to answer, so a failure is logged. */
export function onEvent<E extends string>(
  obs: Obs,
  kind: string,
  body: (args: EventArgs<E>, req: Request) => Promise<string>,
) {
  return async (args: EventArgs<E>): Promise<void> => {
    const user = (args.event as { user?: unknown }).user;
    const req = {
      who: { userId: typeof user === "string" ? user : "", channelId: "" },
      reply: noReply,
    };
    await handle(obs, kind, kind, req, () => body(args, req));
  };
}

type OptionsArgs = SlackOptionsMiddlewareArgs<"block_suggestion"> & AllMiddlewareArgs;

/** Type-ahead: always answered, with no options when the look-up fails. */
export function onOptions(
  obs: Obs,
  kind: string,
  body: (args: OptionsArgs, req: Request) => Promise<PlainTextOption[]>,
) {
  return async (args: OptionsArgs): Promise<void> => {
    const req = { who: { userId: args.body.user.id, channelId: "" }, reply: noReply };
    let options: PlainTextOption[] = [];
    await handle(obs, kind, kind, req, async () => {
      options = await body(args, req);
      return `options_${options.length}`;
    });
    await args.ack({ options });
  };
}
