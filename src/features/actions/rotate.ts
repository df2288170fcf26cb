/**
 * The SCIM key rotation without an outage. A new key is created while the old
 * ones stay valid. With Entra write access for the tenant, Entra validates the
 * new token against Descope's SCIM address, saves it as the job's secret and
 * restarts the job; only then are the old keys deactivated (restorable).
 * Without it — or when Entra does not take the token — the token goes once to
 * the approver and "Revoke the old keys" is a second, approved step. The
 * token is never in the record, the logs or a metric, and is scrubbed from
 * any error text that might echo it.
 */
import { ConnectorError } from "../../connectors/entra-http.js";
import {
  type Credential,
  putSecrets,
  readSecrets,
  restartJob,
  validateCredentials,
} from "../../connectors/entra-write.js";
import type { Action } from "../../core/actions/model.js";
import type { DescopeClient } from "../../descope/client.js";
import { createScimKey, revokeAllBut } from "../../descope/scim-key-writes.js";
import type { ActionClients, Outcome, TokenTo } from "./calls.js";

type Step = Action["steps"][number];
const step = (name: string, ok: boolean, description: string): Step => ({
  name,
  type: "",
  status: ok ? "Success" : "Failure",
  description,
});

/** Descope's SCIM address for the IdP (Descope's Entra guide: the base URL + /scim/v2). */
export const scimAddressOf = (descopeBaseUrl: string) =>
  `${descopeBaseUrl.replace(/\/+$/, "")}/scim/v2`;

export async function rotateKey(
  c: ActionClients,
  t: Extract<Action["target"], { idp: "descope" }>,
  tokenTo: TokenTo = "approver",
): Promise<Outcome> {
  if (!c.descope)
    throw new ConnectorError("bad_credentials", "Descope's management API is not configured");
  const descope = c.descope;
  const k = await createScimKey(descope, {
    tenantId: t.tenantId,
    ssoId: t.ssoId,
    name: `scimwatch-${new Date().toISOString().slice(0, 10)}`,
  });
  const created = `Descope created SCIM key ${k.name} (${k.id}), never expiring.`;
  const scrub = (e: unknown) =>
    (e instanceof Error ? e.message : String(e)).split(k.cleartext).join("[the new token]");
  /** The manual path: the token to the approver once, the revoke as a second approved step. */
  const toApprover = (why: string, steps: Step[]): Outcome =>
    tokenTo === "nobody"
      ? {
          // Caught up after a stop: no one to show the token to, so the key is left unused and said.
          state: "failed",
          outcome: `${created} ${why} The old key stays valid. Its token could be shown to no one (scimwatch had stopped before the call): key ${k.id} exists but no one has its token; delete it in the console (Tenants › the tenant › SCIM) and ask again.`,
          steps,
        }
      : {
          state: "done",
          outcome: `${created}${why ? ` ${why}` : ""} The old key stays valid. Its token was shown once, to the approver: paste it into the IdP's provisioning credentials, test, save; then ask to revoke the old keys.`,
          newKeyId: k.id,
          steps,
          secret: k.cleartext,
        };
  const e = t.entra;
  if (!e) return toApprover("", []);
  const steps: Step[] = [step("Descope: create a key", true, `${k.name} (${k.id}), never expires`)];
  const write = c.entraWrite;
  if (!write)
    return toApprover(
      "Entra's write app is not configured on scimwatch, so Entra did not get it.",
      steps,
    );
  const saved = await readSecrets(write, e.entraTenant, e.spId);
  const base =
    saved?.find((x) => x.key === "BaseAddress" && x.value)?.value ?? scimAddressOf(descope.baseUrl);
  const token: Credential = { key: "SecretToken", value: k.cleartext };
  // Without Entra's validation (a 404: not offered for this job), the old keys are deactivated
  // only once Entra has saved the token and restarted the job with it.
  let validated = false;
  try {
    validated =
      (await validateCredentials(write, e.entraTenant, e, [
        { key: "BaseAddress", value: base },
        token,
      ])) === "validated";
    steps.push(
      validated
        ? step("Entra: validate credentials", true, `Entra reached ${base} with the new token`)
        : {
            ...step(
              "Entra: validate credentials",
              false,
              "Entra answered 404: it does not offer validation for this job; the job's restart with the new token decides",
            ),
            status: "Skipped",
          },
    );
  } catch (err) {
    steps.push(step("Entra: validate credentials", false, scrub(err)));
    return toApprover(
      `Entra did not validate the new token (${scrub(err)}); it still holds the old one.`,
      steps,
    );
  }
  // The whole set (idp-apis.md E8): the settings Entra showed, with the new token; else what is known.
  const set: Credential[] = [
    ...(saved ?? []).filter((x) => x.key !== "SecretToken" && x.key !== "BaseAddress"),
    { key: "BaseAddress", value: base },
    token,
  ];
  try {
    await putSecrets(write, e.entraTenant, e.spId, set);
    steps.push(
      step(
        "Entra: save as the job's secret",
        true,
        saved
          ? "saved with the job's other provisioning settings as Entra showed them"
          : "saved (Entra does not show the job's other provisioning settings: only the address and token were sent; check the scope and notification e-mail in Provisioning)",
      ),
    );
  } catch (err) {
    steps.push(step("Entra: save as the job's secret", false, scrub(err)));
    return toApprover(
      `Entra validated the new token but did not confirm saving it (${scrub(err)}).`,
      steps,
    );
  }
  let restarted = false;
  try {
    await restartJob(write, e.entraTenant, e);
    restarted = true;
    steps.push(step("Entra: restart the job", true, "the next cycle uses the new token"));
  } catch (err) {
    steps.push(
      step(
        "Entra: restart the job",
        false,
        `${scrub(err)}: restart provisioning in the portal (the new token is saved)`,
      ),
    );
  }
  if (!validated && !restarted)
    return {
      state: "done",
      outcome: `${created} Entra saved it as ${e.appName}'s secret but neither validated it nor restarted the job with it: the old keys stay valid. Test the connection in Entra (Provisioning › Admin credentials › Test connection), then ask to revoke the old keys from this record.`,
      newKeyId: k.id,
      steps,
    };
  const took = validated
    ? `validated it, saved it as ${e.appName}'s secret`
    : `saved it as ${e.appName}'s secret and restarted the job with it`;
  try {
    const { kept, said } = await revokeOldKeys(descope, { ...t, keep: k.id });
    steps.push(step("Descope: deactivate the old keys", kept, said));
    return {
      state: kept ? "done" : "failed",
      outcome: kept
        ? `${created} Entra ${took}, and the old keys are deactivated: no outage, and no one saw the token.`
        : `${created} Entra holds it, but Descope did not activate it again after the revoke: activate ${k.id} in the console (Tenants › the tenant › SCIM) now.`,
      newKeyId: k.id,
      keysRevoked: kept,
      steps,
    };
  } catch (err) {
    steps.push(step("Descope: deactivate the old keys", false, scrub(err)));
    return {
      state: "done",
      outcome: `${created} Entra ${took}; the old keys could not be deactivated (${scrub(err)}) and stay valid: ask to revoke them from this record.`,
      newKeyId: k.id,
      steps,
    };
  }
}

/**
 * The old keys of the configuration deactivated (restorable), `keep` active
 * again: whether it was kept, and what Descope did — for the rotation's last
 * step and for "Revoke the old keys".
 */
export async function revokeOldKeys(
  descope: Pick<DescopeClient, "managementCall">,
  o: { tenantId: string; ssoId: string | null; keep: string },
): Promise<{ kept: boolean; said: string }> {
  const r = await revokeAllBut(descope, o);
  const kept = r.activated.includes(o.keep);
  return {
    kept,
    said: kept
      ? `${r.deactivated.join(", ") || "none"} deactivated (restorable with Activate); ${o.keep} kept active`
      : `deactivated, but ${o.keep} was not activated again: activate it in the console (Tenants › the tenant › SCIM) now`,
  };
}
