/**
 * What runs after each audit read, on the notify queue (never inside the
 * tail): never-provisioned sign-in alerts for the failed sign-ins the tail
 * left waiting in Redis, then the evaluation of every open hire.
 */
import type { Logger } from "../../log/logger.js";
import type { HireStore } from "../../redis/hire-store.js";
import type { EvalResult } from "./evaluator.js";
import {
  alertUnknownSignins,
  type SigninCandidate,
  signinCandidateSchema,
  type UnknownSigninDeps,
} from "./unknown-signins.js";

export async function afterRead(
  deps: UnknownSigninDeps & { hires: HireStore; log: Logger; evaluate: () => Promise<EvalResult> },
): Promise<void> {
  try {
    const pending = await deps.hires.peekSigninCandidates();
    const candidates: SigninCandidate[] = pending.items.flatMap((i) => {
      const p = signinCandidateSchema.safeParse(i);
      return p.success ? [p.data] : [];
    });
    const { failed } = await alertUnknownSignins(deps, candidates);
    await pending.done(pending.items.length);
    // Those that could not be checked or sent wait for the next read.
    await deps.hires.pushSigninCandidates(failed);
    const e = await deps.evaluate();
    if (e.evaluated) deps.log.info({ kind: "evaluation", ...e });
  } catch (e) {
    deps.log.warn({ kind: "evaluation", err: e }, "evaluation failed; the next tail run retries");
  }
}
