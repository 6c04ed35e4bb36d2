// Writes many keys quickly (100 puts per txn) through the project's own client, for tests and
// benchmarks that need a large keyspace.
import { Connection } from '../../src/client/connection.js';
import { EtcdClient } from '../../src/client/services.js';
import type { ClientConfig } from '../../src/client/config.js';

export function testClient(endpoint: string): EtcdClient {
  const config: ClientConfig = {
    endpoints: [endpoint],
    dialTimeoutMs: 5000,
    commandTimeoutMs: 10_000,
    commandTimeoutExplicit: false,
    keepaliveTimeMs: 2000,
    keepaliveTimeoutMs: 6000,
    tls: { certFile: '', keyFile: '', caFile: '', insecureTransport: true, insecureSkipVerify: false, serverName: '' },
    debug: false,
  };
  return new EtcdClient(new Connection(config));
}

/** Puts `count` keys `${prefix}${i padded to 7}` with value `value(i)`. */
export async function fillKeys(endpoint: string, prefix: string, count: number, value: (i: number) => Buffer | string = (i) => `v${i}`): Promise<void> {
  const client = testClient(endpoint);
  try {
    const BATCH = 100;
    for (let i = 0; i < count; i += BATCH) {
      const ops = [];
      for (let j = i; j < Math.min(count, i + BATCH); j++) {
        ops.push({ request_put: { key: Buffer.from(`${prefix}${String(j).padStart(7, '0')}`), value: Buffer.from(value(j)) } });
      }
      await client.kv.txn({ success: ops });
    }
  } finally {
    client.close();
  }
}
