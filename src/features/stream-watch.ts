/**
 * Descope's audit stream, watched from the poll: when pushes have stopped
 * (none for 15 minutes) while the poll still finds events, say so once per
 * stop, to the operators' alert channel. The poll goes on either way.
 */
import { PUSH_FLOWING_MS, type TailStateStore } from "../redis/tail-state.js";
import { notice } from "../render/blocks.js";
import { iso, slackDate } from "../render/mrkdwn.js";
import type { Outbox } from "./notify/outbox.js";

export async function watchStream(deps: {
  tailState: TailStateStore;
  outbox: Outbox;
  now: () => number;
  settings: { alertChannel?: string | undefined };
}): Promise<void> {
  const st = await deps.tailState.get();
  const last = st.lastPushAt;
  const found = st.pollFoundAt;
  if (!last || !found || deps.settings.alertChannel === undefined) return;
  // Stopped: no push for a while, and the poll has found events since.
  if (deps.now() - last < PUSH_FLOWING_MS || found < last + PUSH_FLOWING_MS) return;
  if (st.pushStoppedSaidFor === last) return;
  const at = new Date(last).toISOString().slice(11, 16);
  await deps.outbox.send([
    {
      key: `audit_stream_stopped:${last}`,
      kind: "audit_stream_stopped",
      to: { channel: deps.settings.alertChannel },
      message: notice(
        `:electric_plug: *Descope's audit stream stopped at ${slackDate(iso(last), "{time}")}*: no push since, while the audit log still has new events. scimwatch goes on reading them by polling (slower: checklists tick at the next poll). Check the Audit Webhook connector in the Descope console (Connectors) and scimwatch's \`/hooks/descope-audit\` (its token, the proxy in front).`,
        `Descope's audit stream stopped at ${at} UTC: no push since; scimwatch polls meanwhile.`,
      ),
    },
  ]);
  await deps.tailState.update({ pushStoppedSaidFor: last });
}
