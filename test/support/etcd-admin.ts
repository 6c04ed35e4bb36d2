// An in-process client for test setup: creating users, roles, keys before a differential run
// costs a few milliseconds instead of spawning etcdctl. It is this project's own client
// (src/client), used only to arrange state; what is compared still comes from the two CLIs.
//
//   const admin = await adminClient(cluster.endpoints[0], { user: 'root', password: 'pw' });
//   await admin.auth.roleAdd('r');
//   admin.close();
import { Connection } from '../../src/client/connection.js';
import { EtcdClient } from '../../src/client/services.js';
import type { ClientConfig } from '../../src/client/config.js';

export interface AdminOptions {
  user?: string;
  password?: string;
  /** TLS files, for a cluster serving https. */
  tls?: { caFile: string; certFile?: string; keyFile?: string };
}

/** A connected client for `endpoint` ("127.0.0.1:port" or a URL); authenticated when `user` is set. */
export async function adminClient(endpoint: string, opts: AdminOptions = {}): Promise<EtcdClient> {
  const config: ClientConfig = {
    endpoints: [endpoint],
    dialTimeoutMs: 5000,
    commandTimeoutMs: 5000,
    commandTimeoutExplicit: false,
    keepaliveTimeMs: 30_000,
    keepaliveTimeoutMs: 10_000,
    tls: {
      certFile: opts.tls?.certFile ?? '',
      keyFile: opts.tls?.keyFile ?? '',
      caFile: opts.tls?.caFile ?? '',
      insecureTransport: opts.tls === undefined,
      insecureSkipVerify: false,
      serverName: '',
    },
    auth: opts.user !== undefined ? { username: opts.user, password: opts.password ?? '' } : undefined,
    debug: false,
  };
  const client = new EtcdClient(new Connection(config));
  await client.connection.authenticate();
  return client;
}

/** Runs `fn`, ignoring the server's refusal (deleting what is absent, adding what exists). */
export async function ignoringErrors(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch {
    // expected for idempotent setup steps
  }
}
