// grpc-js failures phrased as etcdctl (gRPC-Go clientv3) prints them.
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { fromGrpcError } from '../../../src/client/grpc-errors.js';

const failure = (code: status, details: string): ServiceError =>
  Object.assign(new Error(`${code} ${details}`), { code, details, metadata: new Metadata() });

describe('fromGrpcError', () => {
  it('keeps etcd’s own errors as they are', () => {
    expect(fromGrpcError(failure(status.UNAVAILABLE, 'etcdserver: leader changed'))).toMatchObject({ message: 'etcdserver: leader changed', code: 'Unavailable' });
  });

  it('a connection closed under the call is gRPC-Go’s EOF', () => {
    expect(fromGrpcError(failure(status.UNAVAILABLE, 'Connection dropped')).message).toBe('rpc error: code = Unavailable desc = error reading from server: EOF');
  });

  it('a request over the send limit names its size as gRPC-Go does', () => {
    const err = failure(status.RESOURCE_EXHAUSTED, 'Attempted to send message with a size larger than 2097152');
    expect(fromGrpcError(err, () => 2200023).message).toBe(
      'rpc error: code = ResourceExhausted desc = trying to send message larger than max (2200023 vs. 2097152)',
    );
    // Without the size, grpc-js's text is kept.
    expect(fromGrpcError(err).message).toBe('rpc error: code = ResourceExhausted desc = Attempted to send message with a size larger than 2097152');
  });

  it('deadlines and cancellations read like Go’s context errors', () => {
    expect(fromGrpcError(failure(status.DEADLINE_EXCEEDED, 'Deadline exceeded after 2.001s')).message).toBe('context deadline exceeded');
    expect(fromGrpcError(failure(status.CANCELLED, 'Cancelled on client')).message).toBe('context canceled');
  });
});
