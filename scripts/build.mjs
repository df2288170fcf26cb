/**
 * Builds dist/: src/cli.ts bundled by esbuild into dist/cli.js and a few
 * shared chunks (dist/chunks/), with source maps.
 *
 * Why a bundle rather than tsc's one file per module: `scimwatch check` is a
 * one-shot command, and Node 20 spends most of its start-up resolving and
 * compiling ES modules one file at a time (about 200 of ours and zod's).
 * One bundle, with zod tree-shaken into it and whitespace removed, starts in
 * about two thirds of the time. `start`, `doctor` and `expect` stay in their
 * own chunks, loaded only when asked. Every other package (Bolt, BullMQ,
 * ioredis, pino, …) stays an ordinary import from node_modules. Types are
 * checked by `npm run typecheck` (tsc), not here.
 */
import { readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const BUNDLED = new Set(["zod"]);
const external = Object.keys(pkg.dependencies).filter((d) => !BUNDLED.has(d));

const root = new URL("..", import.meta.url).pathname;
rmSync(`${root}dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ["src/cli.ts"],
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.18",
  external: external.flatMap((d) => [d, `${d}/*`]),
  // Identifiers are kept, so stack traces stay readable even without the maps.
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  sourcemap: "linked",
  logLevel: "warning",
});
