// etcdctl's `table` format: only the cluster/endpoint/snapshot listings support it.
import type { Formatter } from '../types.js';

export const tableFormat: Formatter = {};
