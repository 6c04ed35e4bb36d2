// Where each top-level command's code lives, loaded on demand: the bundle (scripts/build-bundle.mjs)
// builds the command tree from a table generated at build time and calls `load` only for the
// command that runs, so a plain `get` never evaluates the snapshot, check or lease code. The
// imports are literal so esbuild sees them. The order and names are those of createProgram()
// (cli/program.ts, the eager tree that tests and the unbundled build use); the build and
// test/unit/cli/registry.test.ts fail when the two disagree. `help` is built by the program
// itself (it needs the root).
import type { CtlCommand } from './command.js';

export interface CommandEntry {
  /** The top-level commands the module's factory builds. */
  readonly names: readonly string[];
  /** Loads the module and builds those commands. */
  load(): Promise<CtlCommand[]>;
}

export const REGISTRY: readonly CommandEntry[] = [
  { names: ['get', 'put', 'del'], load: async () => (await import('../commands/kv.js')).kvCommands() },
  { names: ['txn'], load: async () => [(await import('../commands/txn.js')).txnCommand()] },
  { names: ['compaction'], load: async () => [(await import('../commands/compaction.js')).compactionCommand()] },
  { names: ['alarm'], load: async () => [(await import('../commands/alarm.js')).alarmCommand()] },
  { names: ['defrag'], load: async () => [(await import('../commands/defrag.js')).defragCommand()] },
  { names: ['endpoint'], load: async () => [(await import('../commands/endpoint.js')).endpointCommand()] },
  { names: ['move-leader'], load: async () => [(await import('../commands/move-leader.js')).moveLeaderCommand()] },
  { names: ['watch'], load: async () => [(await import('../commands/watch.js')).watchCommand()] },
  { names: ['version'], load: async () => [(await import('../commands/version.js')).versionCommand()] },
  { names: ['lease'], load: async () => [(await import('../commands/lease.js')).leaseCommand()] },
  { names: ['member'], load: async () => [(await import('../commands/member.js')).memberCommand()] },
  { names: ['snapshot'], load: async () => [(await import('../commands/snapshot.js')).snapshotCommand()] },
  { names: ['make-mirror'], load: async () => [(await import('../commands/make-mirror.js')).makeMirrorCommand()] },
  { names: ['lock'], load: async () => [(await import('../commands/lock.js')).lockCommand()] },
  { names: ['elect'], load: async () => [(await import('../commands/elect.js')).electCommand()] },
  { names: ['auth'], load: async () => [(await import('../commands/auth.js')).authCommand()] },
  { names: ['user'], load: async () => [(await import('../commands/user.js')).userCommand()] },
  { names: ['role'], load: async () => [(await import('../commands/role.js')).roleCommand()] },
  { names: ['check'], load: async () => [(await import('../commands/check.js')).checkCommand()] },
  { names: ['ls'], load: async () => [(await import('../commands/ls.js')).lsCommand()] },
  { names: ['batch'], load: async () => [(await import('../commands/batch.js')).batchCommand()] },
  { names: ['k8s'], load: async () => [(await import('../commands/k8s.js')).k8sCommand()] },
  { names: ['dump'], load: async () => [(await import('../commands/dump.js')).dumpCommand()] },
  { names: ['load'], load: async () => [(await import('../commands/load.js')).loadCommand()] },
  { names: ['diff'], load: async () => [(await import('../commands/diff.js')).diffCommand()] },
  { names: ['edit'], load: async () => [(await import('../commands/edit.js')).editCommand()] },
  { names: ['shell'], load: async () => [(await import('../commands/shell.js')).shellCommand()] },
  { names: ['completion'], load: async () => [(await import('../commands/completion.js')).completionCommand()] },
];

/** The entry that builds top-level command `name`, if any. */
export function registryEntry(name: string): CommandEntry | undefined {
  return REGISTRY.find((e) => e.names.includes(name));
}
