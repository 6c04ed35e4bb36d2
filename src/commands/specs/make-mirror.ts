import type { CommandSpec } from '../../cli/command.js';

export const MAKE_MIRROR_SPEC: CommandSpec = {
  name: 'make-mirror',
  use: 'make-mirror [options] <destination>',
  short: 'Makes a mirror at the destination etcd cluster',
  flags: [
    { name: 'prefix', kind: 'string', defaultText: '', help: 'Key-value prefix to mirror' },
    {
      name: 'dest-prefix',
      kind: 'string',
      defaultText: '',
      help: 'destination prefix to mirror a prefix to a different prefix in the destination cluster',
    },
    { name: 'no-dest-prefix', kind: 'bool', defaultText: 'false', help: 'mirror key-values to the root of the destination cluster' },
    {
      name: 'dest-cert',
      kind: 'string',
      defaultText: '',
      help: 'Identify secure client using this TLS certificate file for the destination cluster',
    },
    { name: 'dest-key', kind: 'string', defaultText: '', help: 'Identify secure client using this TLS key file' },
    {
      name: 'dest-cacert',
      kind: 'string',
      defaultText: '',
      help: 'Verify certificates of TLS enabled secure servers using this CA bundle',
    },
    { name: 'dest-insecure-transport', kind: 'bool', defaultText: 'true', help: 'Disable transport security for client connections' },
    {
      name: 'dest-user',
      kind: 'string',
      defaultText: '',
      help: 'Destination username[:password] for authentication (prompt if password is not supplied)',
    },
    {
      name: 'dest-password',
      kind: 'string',
      defaultText: '',
      help: "Destination password for authentication (if this option is used, --user option shouldn't include password)",
    },
  ],
  load: async () => (await import('../make-mirror.js')).MAKE_MIRROR_RUNS['make-mirror'],
};
