import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        // Pure functions and file checks: no Redis, no servers; run in parallel.
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          testTimeout: 20_000,
        },
      },
      {
        // The real Bolt receiver, real Redis, real processes and loopback fakes.
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 20_000,
          hookTimeout: 20_000,
          // Integration tests share one Redis; each uses its own key prefix, but
          // running files one after another keeps timing-sensitive tests honest on 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
