/** `/scim help`, a usage mistake, and `/scim explain`: the acknowledgement is the whole answer. */
import { explain as guide } from "../../../core/explain.js";
import { guideMessage, helpMessage, usageMessage } from "../../../render/blocks.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";

export const help: CommandListener<Extract<ScimCommand, { kind: "help" }>> = {
  ack: (cmd, who) =>
    helpMessage(undefined, { admin: who.admin, ...(cmd.verb ? { verb: cmd.verb } : {}) }),
  what: "Help",
};

export const usage: CommandListener<Extract<ScimCommand, { kind: "usage" }>> = {
  ack: (cmd, who) =>
    usageMessage(cmd.message, cmd.topic === "general" ? undefined : cmd.topic, who.admin),
  what: "Help",
};

export const explain: CommandListener<Extract<ScimCommand, { kind: "explain" }>> = {
  ack: (cmd) => guideMessage(guide(cmd.topic, cmd.idp)),
  what: "Explaining",
};
