/** The expect form, its outcome, and the options of menus and type-ahead. Pure. */
import type { ExternalSelect, ModalView, PlainTextOption, StaticSelect } from "@slack/types";
import { IDP_IDS, IDPS } from "../core/idp/catalog.js";
import { resultModal, type SlackMessage } from "./blocks.js";
import { EXPECT_BLOCKS, encodeExpectMeta, encodeMarkAssigned, INPUT_ACTION, VIEWS } from "./ids.js";
import { clip } from "./mrkdwn.js";

/** Slack's limit on a static menu's options. */
export const MAX_STATIC_OPTIONS = 100;

export function markOptions(batchId: string, loginIds: string[]): PlainTextOption[] {
  return loginIds.slice(0, MAX_STATIC_OPTIONS).map((l) => ({
    text: { type: "plain_text", text: clip(l, 75) },
    value: encodeMarkAssigned(batchId, l),
  }));
}

export function tenantOptions(tenants: Array<{ id: string; name: string }>): PlainTextOption[] {
  return tenants.slice(0, MAX_STATIC_OPTIONS).map((t) => ({
    text: { type: "plain_text", text: clip(t.name, 75) },
    value: t.id,
  }));
}

/** Options that match what the person typed (case-insensitive, anywhere), at most 100. */
export function matching<T>(items: T[], query: string, label: (t: T) => string): T[] {
  const q = query.trim().toLowerCase();
  return items.filter((t) => !q || label(t).toLowerCase().includes(q)).slice(0, MAX_STATIC_OPTIONS);
}

/** The expect form after submission: what happened, or what went wrong, where the person is looking. */
export function expectResultModal(msg: SlackMessage): ModalView {
  return resultModal(VIEWS.expectResult, "Expect new hires", msg);
}

export function expectModal(o: {
  channelId: string;
  tenants: Array<{ id: string; name: string }>;
  fixedTenant?: { id: string; name: string };
}): ModalView {
  const all = o.fixedTenant ? [o.fixedTenant] : o.tenants;
  const options = tenantOptions(all);
  const tenantElement: StaticSelect | ExternalSelect =
    all.length <= MAX_STATIC_OPTIONS
      ? {
          type: "static_select",
          action_id: INPUT_ACTION,
          options,
          ...(options.length === 1 ? { initial_option: options[0] } : {}),
        }
      : {
          type: "external_select",
          action_id: INPUT_ACTION,
          min_query_length: 1,
          placeholder: { type: "plain_text", text: `Type to search ${all.length} tenants` },
        };
  const idpOptions: PlainTextOption[] = [
    { text: { type: "plain_text", text: "Infer from the tenant's SSO settings" }, value: "infer" },
    ...IDP_IDS.map((id) => ({
      text: {
        type: "plain_text" as const,
        text: IDPS[id].name === "the IdP" ? "Other IdP" : IDPS[id].name,
      },
      value: id,
    })),
  ];
  return {
    type: "modal",
    callback_id: VIEWS.expect,
    private_metadata: encodeExpectMeta(o.channelId),
    title: { type: "plain_text", text: "Expect new hires" },
    submit: { type: "plain_text", text: "Register" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      {
        type: "input",
        block_id: EXPECT_BLOCKS.emails,
        label: { type: "plain_text", text: "Emails (one per line)" },
        element: {
          type: "plain_text_input",
          action_id: INPUT_ACTION,
          multiline: true,
          placeholder: { type: "plain_text", text: "jane@acme.com\nraj@acme.com" },
        },
      },
      {
        type: "input",
        block_id: EXPECT_BLOCKS.tenant,
        label: { type: "plain_text", text: "Tenant" },
        element: tenantElement,
      },
      {
        type: "input",
        block_id: EXPECT_BLOCKS.idp,
        label: { type: "plain_text", text: "IdP" },
        element: {
          type: "static_select",
          action_id: INPUT_ACTION,
          options: idpOptions,
          initial_option: idpOptions[0],
        },
      },
      {
        type: "input",
        block_id: EXPECT_BLOCKS.at,
        optional: true,
        label: { type: "plain_text", text: "Assigned in the IdP at (empty = now)" },
        hint: { type: "plain_text", text: "ISO-8601 (2026-11-28T09:30Z) or relative, e.g. -20m" },
        element: {
          type: "plain_text_input",
          action_id: INPUT_ACTION,
          placeholder: { type: "plain_text", text: "now" },
        },
      },
      {
        type: "input",
        block_id: EXPECT_BLOCKS.start,
        optional: true,
        label: { type: "plain_text", text: "Start date (optional)" },
        hint: {
          type: "plain_text",
          text: "scimwatch alerts a working day before if they still cannot sign in",
        },
        element: { type: "datepicker", action_id: INPUT_ACTION },
      },
    ],
  };
}

/** Block and element IDs of the App Home's "Check a user" form. */
export const CHECK_BLOCKS = { loginId: "check_login", tenant: "check_tenant" } as const;

/** The App Home's "Check a user" form: a login ID, and a tenant when it is not inferred. */
export function checkModal(): ModalView {
  return {
    type: "modal",
    callback_id: VIEWS.check,
    title: { type: "plain_text", text: "Check a user" },
    submit: { type: "plain_text", text: "Check" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      {
        type: "input",
        block_id: CHECK_BLOCKS.loginId,
        label: { type: "plain_text", text: "Login ID (usually the e-mail)" },
        element: {
          type: "plain_text_input",
          action_id: INPUT_ACTION,
          max_length: 320,
          placeholder: { type: "plain_text", text: "jane@acme.com" },
        },
      },
      {
        type: "input",
        block_id: CHECK_BLOCKS.tenant,
        optional: true,
        label: { type: "plain_text", text: "Tenant (ID or name; empty: inferred)" },
        element: { type: "plain_text_input", action_id: INPUT_ACTION, max_length: 200 },
      },
    ],
  };
}
