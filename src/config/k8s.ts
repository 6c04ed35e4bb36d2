// Whether the readable formats (-w yaml, -w json-decoded) show what kube-apiserver stored as
// Kubernetes objects: on unless --k8s-decode=false or ETCDCTL_TS_K8S_DECODE=false (or 0, no, off).
import type { FlagSpec, ParsedFlag } from '../flags/flag.js';
import type { Env } from './resolve.js';

export const K8S_DECODE_ENV = 'ETCDCTL_TS_K8S_DECODE';

/** The hidden global flag. */
export const K8S_DECODE_FLAG: FlagSpec = {
  name: 'k8s-decode',
  kind: 'bool',
  defaultText: 'true',
  help: `show Kubernetes objects as objects in -w yaml and -w json-decoded (also ${K8S_DECODE_ENV})`,
  persistent: true,
  extra: true,
};

/** The flag when given, else the variable, else on. */
export function k8sDecodeEnabled(flags: ReadonlyMap<string, ParsedFlag>, env: Env): boolean {
  const flag = flags.get(K8S_DECODE_FLAG.name);
  if (flag?.changed) return flag.value === true;
  const text = env[K8S_DECODE_ENV];
  if (text === undefined || text === '') return true;
  return !/^(?:0|f|false|no|off)$/i.test(text.trim());
}
