/**
 * Imports point one way (shared/design/architecture.md): every folder of
 * src/ has a layer, and an import may only reach a lower layer. A new folder
 * must be given its layer here, and a back-edge (a use case importing Slack,
 * a renderer importing a use case…) fails CI.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = new URL("../../src/", import.meta.url).pathname;

/**
 * Lower numbers are lower layers. In core/ and features/ each subfolder or
 * file is its own unit, so the order inside them is held too. Pure units
 * (≤ PURE_MAX, all of core/) do no I/O.
 */
const LAYERS: Record<string, number> = {
  "core/idp": 0,
  "core/login-id": 0,
  "core/when": 0,
  "core/failure": 0,
  "core/edit-distance": 0,
  "core/links": 0,
  "core/scim-keys": 0,
  "core/verbs": 1,
  "core/window": 1,
  "core/diagnosis": 2,
  "core/explain": 2,
  "core/hires": 3,
  "core/access": 3,
  "core/tenant-health": 4,
  "core/activity": 5,
  "core/own-health": 0,
  "core/episodes": 0,
  "core/idp-side": 1,
  "core/reconcile": 2,
  "core/leavers": 3.5,
  "core/actions": 3,
  config: 6,
  render: 6,
  log: 6,
  net: 6,
  descope: 7,
  connectors: 7,
  redis: 8,
  "features/notify": 9,
  "features/check": 9,
  "features/health": 9,
  "features/tail": 9,
  "features/scim-keys": 10,
  "features/stream-watch": 10,
  "features/hires": 10,
  "features/reconcile": 10,
  "features/leavers": 9.5,
  "features/actions": 10,
  "features/activity": 12,
  "features/own-health": 11,
  "features/tenant-health": 11,
  "features/after-read": 11.5,
  "features/read-cycle": 12,
  "features/metric-sources": 9,
  "features/idp-side": 9,
  "features/connections": 9,
  jobs: 10,
  /** HTTP entry points (health, metrics, the hires webhook) beside slack/ and cli/. */
  http: 12.5,
  slack: 13,
  services: 14,
  runtime: 15,
  cli: 16,
};
const PURE_MAX = 5;
const SPLIT = new Set(["core", "features"]);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The unit a file belongs to: its top-level folder, or core/<sub> and features/<sub>; src/cli.ts is the cli layer. */
function folderOf(path: string): string {
  const parts = relative(SRC, path)
    .replace(/\.(ts|js)$/, "")
    .split("/");
  const [first = "", second = ""] = parts;
  if (SPLIT.has(first) && parts.length > 1) return `${first}/${second}`;
  return first;
}

const edges: Array<{ from: string; to: string; file: string; target: string }> = [];
for (const file of files(SRC)) {
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)) {
    const target = normalize(join(dirname(file), m[1] as string));
    const from = folderOf(file);
    const to = folderOf(target);
    if (from !== to)
      edges.push({ from, to, file: relative(SRC, file), target: relative(SRC, target) });
  }
}

describe("architecture: imports point one way", () => {
  it("every folder of src/ has a layer", () => {
    const folders = new Set(files(SRC).map(folderOf));
    expect([...folders].filter((f) => LAYERS[f] === undefined)).toEqual([]);
  });

  it("every import between folders reaches a lower layer (no cycles, no back-edges)", () => {
    const bad = edges
      .filter((e) => (LAYERS[e.to] ?? 99) >= (LAYERS[e.from] ?? -1))
      .map((e) => `${e.file}: ${e.from} → ${e.to}`);
    expect(bad).toEqual([]);
  });

  it("renderers draw from pure data only", () => {
    const bad = edges
      .filter((e) => e.from === "render" && (LAYERS[e.to] ?? 99) > PURE_MAX)
      .map((e) => `${e.file} → ${e.to}`);
    expect(bad).toEqual([]);
  });

  it("the pure layers import no adapter library", () => {
    const bad: string[] = [];
    for (const file of files(SRC)) {
      if ((LAYERS[folderOf(file)] ?? 99) > PURE_MAX) continue;
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/from "([^".][^"]*)"/g)) {
        const pkg = m[1] as string;
        if (!["zod"].includes(pkg) && !pkg.startsWith("node:"))
          bad.push(`${relative(SRC, file)} → ${pkg}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("only features/notify/ sends: the chat port and the Slack notifier are imported nowhere else", () => {
    const senders = new Set(["features/notify", "services"]);
    const bad = edges
      .filter(
        (e) =>
          !senders.has(e.from) &&
          e.from !== "slack" &&
          (e.to === "features/notify" ? /notify[/\\]port/.test(e.target) : false),
      )
      .map((e) => `${e.file} → ${e.target}`);
    const slackNotifier = edges
      .filter(
        (e) => e.target.endsWith("slack/notifier") && !senders.has(e.from) && e.from !== "slack",
      )
      .map((e) => `${e.file} → ${e.target}`);
    expect([...bad, ...slackNotifier]).toEqual([]);
    // Within slack/, only the notifier itself and the app wiring touch the port.
    const inSlack = edges
      .filter((e) => e.from === "slack" && /notify[/\\]port/.test(e.target))
      .filter((e) => !/slack[/\\]notifier\.ts$/.test(e.file))
      .map((e) => e.file);
    expect(inSlack).toEqual([]);
  });

  it("every Redis key is spelled in the one key map, every Lua script run through the one registry", () => {
    const bad: string[] = [];
    for (const file of files(SRC)) {
      const rel = relative(SRC, file);
      const text = readFileSync(file, "utf8");
      if (rel !== "redis/keys.ts" && /\bkey\(\s*["'`]/.test(text)) bad.push(`${rel}: a key`);
      if (rel !== "redis/scripts.ts" && /\.eval\(|defineCommand|evalsha/.test(text))
        bad.push(`${rel}: a script`);
    }
    expect(bad).toEqual([]);
  });

  it("every file stays small enough to read as one concept (about 300 lines)", () => {
    const long = files(SRC)
      .map((f) => ({ f: relative(SRC, f), n: readFileSync(f, "utf8").split("\n").length }))
      .filter((x) => x.n > 320)
      .map((x) => `${x.f}: ${x.n} lines`);
    expect(long).toEqual([]);
  });
});
