// The package entry: `import { Etcd } from 'etcdctl-ts'` (the CLI itself is bin/etcdctl-ts.js).
export { Etcd } from './api/etcd.js';
export type {
  Bytes,
  Comparison,
  DeleteOptions,
  EtcdOptions,
  GetOptions,
  GetResult,
  KeyValue,
  Leadership,
  LeaseInfo,
  Lock,
  Op,
  OpResult,
  PutOptions,
  RangeOptions,
  TxnRequest,
  TxnResult,
  Watch,
  WatchEvent,
  WatchOptions,
} from './api/etcd.js';
export { RpcError } from './common/errors.js';
