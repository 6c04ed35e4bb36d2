// watch (commands/watch.ts). WATCH_FLAGS also parse the lines of watch -i.
import type { CommandSpec } from '../../cli/command.js';
import type { FlagSpec } from '../../flags/flag.js';
import { EXTRA_OUTPUT_FORMATS } from '../../output/format-names.js';

const bool = (name: string, help: string, short?: string): FlagSpec => ({ name, short, kind: 'bool', defaultText: 'false', help });

export const WATCH_FLAGS: FlagSpec[] = [
  bool('interactive', 'Interactive mode', 'i'),
  bool('prefix', 'Watch on a prefix if prefix is set'),
  { name: 'rev', kind: 'int64', defaultText: '0', help: 'Revision to start watching' },
  bool('prev-kv', 'get the previous key-value pair before the event happens'),
  bool('progress-notify', 'get periodic watch progress notification from server'),
];

export const WATCH_SPEC: CommandSpec = {
  name: 'watch',
  use: 'watch [options] [key or prefix] [range_end] [--] [exec-command arg1 arg2 ...]',
  short: 'Watches events stream on keys or prefixes',
  flags: WATCH_FLAGS,
  extraFormats: EXTRA_OUTPUT_FORMATS,
  load: async () => (await import('../watch.js')).WATCH_RUNS.watch,
};
