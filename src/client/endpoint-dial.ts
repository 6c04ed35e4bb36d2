// clientv3's Maintenance.dial(endpoint): Status, HashKV and Defragment must reach one particular
// member, so they go over a connection to that endpoint alone.
import type { ClientConfig } from './config.js';
import { Connection } from './connection.js';
import { EtcdClient } from './services.js';

/** Where a connection sends clientv3's warning lines (see Connection). */
export type ClientLogging = ConstructorParameters<typeof Connection>[1];

/**
 * A client for `endpoint` alone; the caller closes it. clientv3 sends a token fetched through the
 * main connection, which the member may not know yet when another member issued it (the
 * request then fails with `auth: invalid auth token`). So the connection fetches its own token
 * from that member, and keeps the main connection's token if it cannot: an unreachable member
 * then fails the request itself, with the error and at the deadline clientv3 would.
 */
export async function dialEndpoint(main: Connection, endpoint: string, logging?: ClientLogging): Promise<EtcdClient> {
  const conn = new Connection({ ...main.config, endpoints: [endpoint] }, logging);
  conn.useTokenOf(main);
  if (main.config.auth) await conn.authenticate().catch(() => undefined);
  return new EtcdClient(conn);
}

/**
 * An independent, authenticated client (clientv3.New): endpoint health makes one per endpoint,
 * move-leader one per endpoint while it looks for the leader.
 */
export async function connectClient(config: ClientConfig, logging?: ClientLogging): Promise<EtcdClient> {
  const conn = new Connection(config, logging);
  try {
    await conn.authenticate();
  } catch (err) {
    conn.close();
    throw err;
  }
  return new EtcdClient(conn);
}
