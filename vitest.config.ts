import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests share one Redis; each uses its own key prefix, but
    // running files one after another keeps timing-sensitive tests honest on 2 cores.
    fileParallelism: false,
  },
});
