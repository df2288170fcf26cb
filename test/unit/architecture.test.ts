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

/** Lower numbers are lower layers. Pure ones (≤ 2) do no I/O. */
const LAYERS: Record<string, number> = {
  idp: 0,
  identity: 0,
  time: 0,
  diagnosis: 1,
  access: 2,
  activity: 2,
  explain: 2,
  core: 2,
  config: 3,
  render: 3,
  log: 3,
  budget: 3,
  descope: 4,
  store: 4,
  check: 5,
  tail: 6,
  jobs: 6,
  hires: 7,
  health: 7,
  slack: 8,
  runtime: 9,
  cli: 10,
};
const PURE_MAX = 2;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The top-level folder a file belongs to (src/cli.ts is the cli layer, src/runtime.ts its own). */
function folderOf(path: string): string {
  const rel = relative(SRC, path);
  const [first = ""] = rel.split("/");
  return rel.includes("/") ? first : first.replace(/\.(ts|js)$/, "");
}

const edges: Array<{ from: string; to: string; file: string }> = [];
for (const file of files(SRC)) {
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)) {
    const target = normalize(join(dirname(file), m[1] as string));
    const from = folderOf(file);
    const to = folderOf(target);
    if (from !== to) edges.push({ from, to, file: relative(SRC, file) });
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
});
