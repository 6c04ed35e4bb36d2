import { defineConfig } from 'vitest/config';

// Two projects:
//   unit        test/unit/**: pure, in-process, no etcd; default parallelism.
//   integration test/integration/**: real etcd members (3.5.16, or the release named by
//               $ETCDCTL_TS_TEST_SERVER: 3.5.30, 3.4.23) and real etcdctl 3.5.16 runs.
//   exe         test/exe/**: the single-file executable; only when ETCDCTL_TS_EXE names it
//               (scripts/ci-exe.sh), after the integration files.
//
// No globalSetup: every integration test file starts its own cluster in beforeAll and stops it in
// afterAll (test/support/cluster.ts). Files are then isolated from each other (no shared keys,
// revisions or auth state), a crashed file cannot poison the others, and a single file can be run on
// its own. A 1-member cluster starts in about a second, so this costs little. The real binaries come
// from scripts/install-etcd.sh (or $ETCD_BIN_DIR) via test/support/etcd-bin.ts.
//
// The machine has 2 cores and each integration file runs etcd plus CLI processes, so at most 2
// integration files run at once. vitest 4 requires projects with different maxWorkers to have
// different sequence.groupOrder: unit files run first, then integration files.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 90_000,
          sequence: { groupOrder: 1 },
        },
      },
      ...(process.env['ETCDCTL_TS_EXE']
        ? [{ test: { name: 'exe', include: ['test/exe/**/*.test.ts'], environment: 'node' as const, pool: 'forks' as const, testTimeout: 60_000, hookTimeout: 90_000, sequence: { groupOrder: 2 } } }]
        : []),
    ],
  },
});
