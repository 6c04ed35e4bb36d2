// get, put, del (commands/kv.ts). The flag tables are kv/requests.ts's, which txn shares.
import type { CommandSpec } from '../../cli/command.js';
import { YES_FLAG } from '../../cli/confirm.js';
import { EXTRA_OUTPUT_FORMATS } from '../../output/format-names.js';
import { DEL_FLAGS, GET_FLAGS, GET_FLAGS_FROM_3_6, KV_TEXTS, PAGE_SIZE_FLAG, PUT_FLAGS } from '../../kv/requests.js';

const PUT_LONG = `
Puts the given key into the store.

When <value> begins with '-', <value> is interpreted as a flag.
Insert '--' for workaround:

$ put <key> -- <value>
$ put -- <key> <value>

If <value> isn't given as a command line argument and '--ignore-value' is not specified,
this command tries to read the value from standard input.

If <lease> isn't given as a command line argument and '--ignore-lease' is not specified,
this command tries to read the value from standard input.

For example,
$ cat file | put <key>
will store the content of the file to <key>.
`;

export const KV_SPECS: CommandSpec[] = [
  {
    name: 'get',
    ...KV_TEXTS.get,
    flags: [...GET_FLAGS, ...GET_FLAGS_FROM_3_6, PAGE_SIZE_FLAG],
    extraFormats: EXTRA_OUTPUT_FORMATS,
    load: async () => (await import('../kv.js')).KV_RUNS.get,
  },
  {
    name: 'put',
    ...KV_TEXTS.put,
    long: PUT_LONG,
    flags: PUT_FLAGS,
    extraFormats: EXTRA_OUTPUT_FORMATS,
    load: async () => (await import('../kv.js')).KV_RUNS.put,
  },
  {
    name: 'del',
    ...KV_TEXTS.del,
    flags: [...DEL_FLAGS, YES_FLAG],
    extraFormats: EXTRA_OUTPUT_FORMATS,
    load: async () => (await import('../kv.js')).KV_RUNS.del,
  },
];
