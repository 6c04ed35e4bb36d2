// etcdctl 3.5's global (persistent) flags: names, types, defaults and help texts.
import type { FlagSpec } from '../flags/flag.js';

export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'endpoints', kind: 'stringSlice', defaultText: '[127.0.0.1:2379]', help: 'gRPC endpoints' },
  { name: 'debug', kind: 'bool', defaultText: 'false', help: 'enable client-side debug logging' },
  { name: 'write-out', short: 'w', kind: 'string', defaultText: 'simple', help: 'set the output format (fields, json, protobuf, simple, table)' },
  { name: 'hex', kind: 'bool', defaultText: 'false', help: 'print byte strings as hex encoded strings' },
  { name: 'dial-timeout', kind: 'duration', defaultText: '2s', help: 'dial timeout for client connections' },
  { name: 'command-timeout', kind: 'duration', defaultText: '5s', help: 'timeout for short running command (excluding dial timeout)' },
  { name: 'keepalive-time', kind: 'duration', defaultText: '2s', help: 'keepalive time for client connections' },
  { name: 'keepalive-timeout', kind: 'duration', defaultText: '6s', help: 'keepalive timeout for client connections' },
  { name: 'insecure-transport', kind: 'bool', defaultText: 'true', help: 'disable transport security for client connections' },
  { name: 'insecure-discovery', kind: 'bool', defaultText: 'true', help: 'accept insecure SRV records describing cluster endpoints' },
  {
    name: 'insecure-skip-tls-verify',
    kind: 'bool',
    defaultText: 'false',
    help: 'skip server certificate verification (CAUTION: this option should be enabled only for testing purposes)',
  },
  { name: 'cert', kind: 'string', defaultText: '', help: 'identify secure client using this TLS certificate file' },
  { name: 'key', kind: 'string', defaultText: '', help: 'identify secure client using this TLS key file' },
  { name: 'cacert', kind: 'string', defaultText: '', help: 'verify certificates of TLS-enabled secure servers using this CA bundle' },
  { name: 'user', kind: 'string', defaultText: '', help: 'username[:password] for authentication (prompt if password is not supplied)' },
  {
    name: 'password',
    kind: 'string',
    defaultText: '',
    help: "password for authentication (if this option is used, --user option shouldn't include password)",
  },
  { name: 'discovery-srv', short: 'd', kind: 'string', defaultText: '', help: 'domain name to query for SRV records describing cluster endpoints' },
  { name: 'discovery-srv-name', kind: 'string', defaultText: '', help: 'service name to query when using DNS discovery' },
].map((f) => ({ ...f, persistent: true }) as FlagSpec);
