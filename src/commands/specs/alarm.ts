import type { CommandSpec } from '../../cli/command.js';
import { EXTRA_OUTPUT_FORMATS } from '../../output/format-names.js';

export const ALARM_SPEC: CommandSpec = {
  name: 'alarm',
  use: 'alarm <subcommand>',
  short: 'Alarm related commands',
  subcommands: [
    { name: 'disarm', use: 'disarm', short: 'Disarms all alarms', extraFormats: EXTRA_OUTPUT_FORMATS, load: async () => (await import('../alarm.js')).ALARM_RUNS.disarm },
    { name: 'list', use: 'list', short: 'Lists all alarms', extraFormats: EXTRA_OUTPUT_FORMATS, load: async () => (await import('../alarm.js')).ALARM_RUNS.list },
  ],
};
