import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "infra/test/**/*.test.ts"],
    // One DynamoDB Local for the whole run; each test file gets its own table (see test-setup.ts).
    globalSetup: ["packages/api/test/helpers/global-setup.ts"],
    setupFiles: ["packages/api/test/helpers/test-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for a page or a relay to catch up: on a loaded CI machine that can take seconds.
    expect: { poll: { timeout: 10_000 } },
    pool: "forks",
    env: {
      BCRYPT_ROUNDS: "4",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      // Powertools dev mode: readable logs, no metrics output.
      POWERTOOLS_DEV: "true",
      // Generous rate limits, so no test trips them by accident; the rate-limit tests set their own.
      RATE_LIMIT_IP_PER_MINUTE: "1000000",
      RATE_LIMIT_USER_READS_PER_HOUR: "1000000",
      RATE_LIMIT_USER_WRITES_PER_HOUR: "1000000",
    },
  },
});
