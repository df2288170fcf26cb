/**
 * The sweep after each audit read: approvals a stopped process left are
 * carried out (once), a call cut short is marked interrupted (never sent
 * again), requests past their hour expire.
 */
import { type ActionDeps, carryOut, counted, expire, postRecord, show } from "./run.js";

/**
 * After a restart and from time to time: approved actions not yet carried out
 * are carried out (once); a call cut short (running for more than two
 * minutes) is "interrupted", not repeated; requests past their hour expire.
 */
export async function sweepActions(deps: ActionDeps): Promise<number> {
  const now = deps.now();
  let n = 0;
  for (const a of await deps.actions.open()) {
    if (
      a.state === "approved" &&
      a.kind === "rotate_key" &&
      !(a.target.idp === "descope" && a.target.entra)
    ) {
      // Without Entra, a new key's token can be shown only to the approver at the click: never created unseen.
      const i = await deps.actions.transition(a.id, ["approved"], {
        state: "interrupted",
        outcome:
          "not carried out: scimwatch stopped before the call, and a new key's token can only be shown to the approver at the click. Ask again.",
        finishedAt: now,
      });
      if (i) {
        counted(deps, i, "interrupted", i.decidedBy);
        await show(deps, i);
        await postRecord(deps, i);
      }
    } else if (a.state === "approved") {
      // A rotation handed to Entra needs no one to see its token: caught up like the others.
      if (await carryOut(deps, a.id, "nobody")) n++;
    } else if (a.state === "running" && a.startedAt !== null && now - a.startedAt > 120_000) {
      const i = await deps.actions.transition(a.id, ["running"], {
        state: "interrupted",
        outcome:
          "scimwatch stopped during the call: whether the IdP received it is unknown, and it was not sent again. Check the user before asking again.",
        finishedAt: now,
      });
      if (i) {
        counted(deps, i, "interrupted", i.decidedBy);
        await show(deps, i);
        await postRecord(deps, i);
      }
    } else if (a.state === "requested" && now > a.expiresAt) await expire(deps, a);
  }
  return n;
}
