import type { CommandSpec } from '../../cli/command.js';

export const LOCK_SPEC: CommandSpec = {
  name: 'lock',
  use: 'lock <lockname> [exec-command arg1 arg2 ...]',
  short: 'Acquires a named lock',
  flags: [{ name: 'ttl', kind: 'int', defaultText: '10', help: 'timeout for session' }],
  load: async () => (await import('../lock.js')).LOCK_RUNS.lock,
};
