import type { CommandSpec } from '../../cli/command.js';
import { EXTRA_OUTPUT_FORMATS } from '../../output/format-names.js';

export const TXN_SPEC: CommandSpec = {
  name: 'txn',
  use: 'txn [options]',
  short: 'Txn processes all the requests in one transaction',
  flags: [{ name: 'interactive', short: 'i', kind: 'bool', defaultText: 'false', help: 'Input transaction in interactive mode' }],
  extraFormats: EXTRA_OUTPUT_FORMATS,
  load: async () => (await import('../txn.js')).TXN_RUNS.txn,
};
