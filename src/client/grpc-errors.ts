// Phrases gRPC failures the way etcdctl (Go clientv3) prints them.
import { status, type ServiceError } from '@grpc/grpc-js';
import { RpcError } from '../common/errors.js';

const GO_CODE_NAMES: Record<number, string> = {
  [status.OK]: 'OK',
  [status.CANCELLED]: 'Canceled',
  [status.UNKNOWN]: 'Unknown',
  [status.INVALID_ARGUMENT]: 'InvalidArgument',
  [status.DEADLINE_EXCEEDED]: 'DeadlineExceeded',
  [status.NOT_FOUND]: 'NotFound',
  [status.ALREADY_EXISTS]: 'AlreadyExists',
  [status.PERMISSION_DENIED]: 'PermissionDenied',
  [status.RESOURCE_EXHAUSTED]: 'ResourceExhausted',
  [status.FAILED_PRECONDITION]: 'FailedPrecondition',
  [status.ABORTED]: 'Aborted',
  [status.OUT_OF_RANGE]: 'OutOfRange',
  [status.UNIMPLEMENTED]: 'Unimplemented',
  [status.INTERNAL]: 'Internal',
  [status.UNAVAILABLE]: 'Unavailable',
  [status.DATA_LOSS]: 'DataLoss',
  [status.UNAUTHENTICATED]: 'Unauthenticated',
};

export const DEADLINE_EXCEEDED_TEXT = 'context deadline exceeded';

export function goCodeName(code: number): string {
  return GO_CODE_NAMES[code] ?? `Code(${code})`;
}

/**
 * `sentBytes` gives the size of the request that failed (for the send-limit message).
 * Server errors carry etcd's own text (`etcdserver: ...`) and are printed as is, like clientv3's
 * rpctypes errors; an expired client deadline is Go's `context deadline exceeded`; anything else
 * keeps gRPC's `rpc error: code = X desc = Y` form.
 */
export function fromGrpcError(err: ServiceError, sentBytes?: () => number): RpcError {
  const code = goCodeName(err.code);
  const details = err.details ?? '';
  // grpc-js refuses a request over the send limit without its size; gRPC-Go names both.
  const sendLimit = /^Attempted to send message with a size larger than (\d+)$/.exec(details);
  if (err.code === status.RESOURCE_EXHAUSTED && sendLimit && sentBytes) {
    return new RpcError(`rpc error: code = ResourceExhausted desc = trying to send message larger than max (${sentBytes()} vs. ${sendLimit[1]})`, code);
  }
  if (details.startsWith('etcdserver: ')) return new RpcError(details, code);
  if (err.code === status.DEADLINE_EXCEEDED) return new RpcError(DEADLINE_EXCEEDED_TEXT, code);
  if (err.code === status.CANCELLED) return new RpcError('context canceled', code);
  // The server's connection closed under the call (a member killed mid-request): gRPC-Go reads EOF.
  if (err.code === status.UNAVAILABLE && details === 'Connection dropped') return new RpcError(`rpc error: code = ${code} desc = error reading from server: EOF`, code);
  const tooLarge = /^(?:Sent|Received) message larger than max \((\d+) vs\.? (\d+)\)/.exec(details);
  if (err.code === status.RESOURCE_EXHAUSTED && tooLarge) {
    const verb = details.startsWith('Sent') ? 'trying to send message larger than max' : 'grpc: received message larger than max';
    return new RpcError(`rpc error: code = ResourceExhausted desc = ${verb} (${tooLarge[1]} vs. ${tooLarge[2]})`, code);
  }
  return new RpcError(`rpc error: code = ${code} desc = ${details}`, code);
}
