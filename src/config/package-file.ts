/**
 * A file shipped at the package root (package.json, manifest.yml), found from
 * wherever this code runs: src/ under tsx and vitest, dist/ or dist/chunks/
 * once bundled (scripts/build.mjs).
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export function packageFile(name: string): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${name} not found in ${start} or above`);
  }
}
