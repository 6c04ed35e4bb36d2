import type { CommandSpec } from '../../cli/command.js';

export const K8S_SPEC: CommandSpec = {
  name: 'k8s',
  use: 'k8s <subcommand>',
  short: 'Reads Kubernetes objects as kube-apiserver stores them in etcd (etcdctl-ts)',
  extra: true,
  subcommands: [
    {
      name: 'decode',
      use: 'decode [file]',
      short: 'Prints one stored value (from the file or stdin) as its Kubernetes object',
      extra: true,
      flags: [{ name: 'output', short: 'o', kind: 'string', defaultText: 'yaml', help: 'output format: yaml or json' }],
      load: async () => (await import('../k8s.js')).K8S_RUNS.decode,
    },
  ],
};
