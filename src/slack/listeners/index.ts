/** Every Slack listener, registered in one place: commands, buttons, menus, forms and events. */
import type { App } from "@slack/bolt";
import type { AckGate } from "../ack-first.js";
import type { SlackDeps } from "../deps.js";
import { guard } from "../guard.js";
import { registerCheckButtons } from "./actions/check-buttons.js";
import { registerFixButtons } from "./actions/fix-buttons.js";
import { registerHireButtons } from "./actions/hire-buttons.js";
import { registerHomeButtons } from "./actions/home-buttons.js";
import { registerKeyButtons } from "./actions/key-buttons.js";
import { registerTenantButtons } from "./actions/tenant-buttons.js";
import { registerUnlinkButton } from "./actions/unlink.js";
import { registerCommands } from "./commands/index.js";
import { registerAppHome } from "./events/app-home.js";
import { registerOptions } from "./options/index.js";
import type { ListenerDeps } from "./types.js";
import { registerCheckForm } from "./views/check-form.js";
import { registerOktaConnectForm } from "./views/connect-okta.js";
import { registerExpectForm } from "./views/expect-form.js";
import { registerOktaWriteForm } from "./views/okta-write.js";

export function registerListeners(app: App, services: SlackDeps, acks: AckGate): void {
  const deps: ListenerDeps = { ...services, guard: guard(services), acks };
  registerCommands(app, deps);
  registerCheckButtons(app, deps);
  registerUnlinkButton(app, deps);
  registerHireButtons(app, deps);
  registerHomeButtons(app, deps);
  registerTenantButtons(app, deps);
  registerKeyButtons(app, deps);
  registerFixButtons(app, deps);
  registerOptions(app, deps);
  registerExpectForm(app, deps);
  registerCheckForm(app, deps);
  registerOktaConnectForm(app, deps);
  registerOktaWriteForm(app, deps);
  registerAppHome(app, deps);
}
