/** The App Home tab: drawn when opened, and after each of its buttons. */
import type { App } from "@slack/bolt";
import { homeData } from "../../../features/hires/visible.js";
import { homeView } from "../../../render/home.js";
import { onEvent } from "../../middleware.js";
import type { ListenerDeps } from "../types.js";

/** Admins see every tenant's hires; others see the hires they registered. */
export async function publishHome(deps: ListenerDeps, userId: string): Promise<void> {
  const data = await homeData(
    {
      ...deps,
      graceMinutes: deps.settings.graceMinutes,
      adminUsers: deps.settings.adminUsers,
      alertChannel: deps.settings.alertChannel,
      blindAfterRuns: deps.settings.blindAfterRuns,
      keyWarnDays: deps.settings.keyWarnDays,
      ...(deps.leaver ? { leavers: deps.leaver.leavers } : {}),
    },
    userId,
  );
  await deps.outbox.publishHome(userId, homeView(data));
}

export function registerAppHome(app: App, deps: ListenerDeps): void {
  app.event(
    "app_home_opened",
    onEvent<"app_home_opened">(deps, "app_home", async ({ event }) => {
      if (event.tab && event.tab !== "home") return "other_tab";
      await publishHome(deps, event.user);
      return "published";
    }),
  );
}
