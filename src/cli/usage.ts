/** Usage lines of the commands that load the whole bot (kept apart so `check` need not import them). */
export const START_USAGE = "usage: scimwatch start [--role all|bot|worker]";
export const DOCTOR_USAGE = "usage: scimwatch doctor";
