// Tests run on 2-core machines, often beside other work: a per-test limit of a minute catches
// hangs without failing a slow but correct test (timing is measured by benchmarks, not tests).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
