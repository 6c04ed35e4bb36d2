// One lazy connection to a set of etcd endpoints: TLS and keepalive settings, the auth token,
// deadlines, and failover between endpoints the way clientv3 does it (reads are retried on
// another endpoint when one is unavailable; writes only when they were never sent).
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { CtlError, ExitCode, RpcError } from '../errors.js';
import type { ClientConfig } from '../config/resolve.js';
import { DEADLINE_EXCEEDED_TEXT, fromGrpcError } from './grpc-errors.js';
import { methodDefinition, keepRawBytes } from './proto.js';

/** Go's math.MaxInt32: clientv3's default receive limit, so large ranges never hit grpc-js's 4 MiB. */
const MAX_RECEIVE_BYTES = 2147483647;
/** clientv3's default send limit (2 MiB). */
const MAX_SEND_BYTES = 2 * 1024 * 1024;
/** gRPC-Go raises keepalive pings below 10 s to 10 s; do the same so servers do not see ping floods. */
const MIN_KEEPALIVE_MS = 10_000;
const RETRY_BACKOFF_MS = 25;
const MAX_ATTEMPTS = 100;

export interface ParsedEndpoint {
  /** As given by the user. */
  original: string;
  /** grpc-js target. */
  target: string;
  /** true for https/unixs, false for http/unix, undefined when no scheme was given. */
  secure: boolean | undefined;
}

export function parseEndpoint(endpoint: string): ParsedEndpoint {
  const scheme = /^([a-z]+):\/\/(.*)$/.exec(endpoint);
  if (endpoint.startsWith('unix:') && !endpoint.startsWith('unix://')) {
    return { original: endpoint, target: endpoint, secure: false };
  }
  if (!scheme) return { original: endpoint, target: endpoint, secure: undefined };
  const [, name, rest] = scheme as unknown as [string, string, string];
  const hostPort = rest.replace(/\/.*$/, '');
  switch (name) {
    case 'http':
      return { original: endpoint, target: hostPort, secure: false };
    case 'https':
      return { original: endpoint, target: hostPort, secure: true };
    case 'unix':
      return { original: endpoint, target: `unix:${rest}`, secure: false };
    case 'unixs':
      return { original: endpoint, target: `unix:${rest}`, secure: true };
    default:
      return { original: endpoint, target: endpoint, secure: undefined };
  }
}

function readTlsFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new CtlError(ExitCode.BadArgs, `open ${path}: ${why}`);
  }
}

/** Transport credentials as clientv3 picks them: the first endpoint's scheme decides. */
function channelCredentials(cfg: ClientConfig, first: ParsedEndpoint): grpc.ChannelCredentials {
  const { tls } = cfg;
  if ((tls.certFile === '') !== (tls.keyFile === '')) {
    throw new CtlError(ExitCode.BadArgs, `KeyFile and CertFile must both be present[key: ${tls.keyFile}, cert: ${tls.certFile}]`);
  }
  const hasTlsFiles = tls.certFile !== '' || tls.caFile !== '';
  const ca = tls.caFile ? readTlsFile(tls.caFile) : null;
  const cert = tls.certFile ? readTlsFile(tls.certFile) : null;
  const key = tls.keyFile ? readTlsFile(tls.keyFile) : null;
  const tlsWanted = hasTlsFiles || !tls.insecureTransport;
  const secure = first.secure ?? tlsWanted;
  if (!secure) return grpc.credentials.createInsecure();
  const verify: grpc.VerifyOptions = tls.insecureSkipVerify
    ? { rejectUnauthorized: false, checkServerIdentity: () => undefined }
    : {};
  return grpc.credentials.createSsl(ca, key, cert, verify);
}

interface Endpoint {
  parsed: ParsedEndpoint;
  client: grpc.Client;
}

export interface CallOptions {
  /** Absolute deadline (ms since epoch); undefined waits for as long as it takes, like etcdctl. */
  deadline?: number;
  /** Safe to send again after it may have reached a server (reads). */
  idempotent: boolean;
}

function isNeverSent(err: grpc.ServiceError): boolean {
  // grpc-js fails a call this way when it had no ready connection to put it on.
  return err.code === grpc.status.UNAVAILABLE && /^No connection established/.test(err.details ?? '');
}

function needsNewToken(err: RpcError): boolean {
  return (
    err.message === 'etcdserver: invalid auth token' ||
    err.message === 'etcdserver: revision of auth store is old' ||
    err.message === 'etcdserver: user name is empty'
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Connection {
  private readonly endpoints: Endpoint[];
  private nextIndex = 0;
  private token: string | undefined;
  private closed = false;

  constructor(readonly config: ClientConfig) {
    if (config.endpoints.length === 0) throw new CtlError(ExitCode.BadConnection, 'etcdclient: no available endpoints');
    const parsed = config.endpoints.map(parseEndpoint);
    const credentials = channelCredentials(config, parsed[0]!);
    const options: grpc.ChannelOptions = {
      'grpc.max_receive_message_length': MAX_RECEIVE_BYTES,
      'grpc.max_send_message_length': MAX_SEND_BYTES,
      'grpc.keepalive_time_ms': Math.max(config.keepaliveTimeMs, MIN_KEEPALIVE_MS),
      'grpc.keepalive_timeout_ms': config.keepaliveTimeoutMs,
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 1000,
      'grpc.enable_retries': 0,
    };
    if (config.tls.serverName) options['grpc.ssl_target_name_override'] = config.tls.serverName;
    this.endpoints = parsed.map((p) => ({ parsed: p, client: new grpc.Client(p.target, credentials, options) }));
  }

  /** Authenticates when credentials are configured (bounded by --dial-timeout, as clientv3.New does). */
  async authenticate(): Promise<void> {
    const auth = this.config.auth;
    if (!auth) return;
    try {
      const resp = (await this.unaryOnce('etcdserverpb.Auth', 'Authenticate', { name: auth.username, password: auth.password }, {
        deadline: Date.now() + this.config.dialTimeoutMs,
        idempotent: true,
      })) as { token: string };
      this.token = resp.token;
    } catch (err) {
      if (err instanceof RpcError && err.message === 'etcdserver: authentication is not enabled') {
        this.token = undefined;
        return;
      }
      throw err;
    }
  }

  private metadata(): grpc.Metadata {
    const md = new grpc.Metadata();
    if (this.token) md.set('token', this.token);
    return md;
  }

  /** Waits until some endpoint has a ready connection, preferring them in round-robin order. */
  private async readyEndpoint(deadline: number | undefined): Promise<Endpoint> {
    const start = this.nextIndex;
    const order = this.endpoints.map((_, i) => this.endpoints[(start + i) % this.endpoints.length]!);
    for (const ep of order) {
      if (ep.client.getChannel().getConnectivityState(true) === grpc.connectivityState.READY) {
        this.nextIndex = (this.endpoints.indexOf(ep) + 1) % this.endpoints.length;
        return ep;
      }
    }
    return new Promise<Endpoint>((resolve, reject) => {
      let settled = false;
      let pending = order.length;
      for (const ep of order) {
        ep.client.waitForReady(deadline ?? Infinity, (err) => {
          if (settled) return;
          if (!err) {
            settled = true;
            this.nextIndex = (this.endpoints.indexOf(ep) + 1) % this.endpoints.length;
            resolve(ep);
            return;
          }
          pending--;
          if (pending === 0) {
            settled = true;
            reject(new RpcError(this.closed ? 'context canceled' : DEADLINE_EXCEEDED_TEXT, this.closed ? 'Canceled' : 'DeadlineExceeded'));
          }
        });
      }
    });
  }

  private unaryOnce<Res>(service: string, method: string, request: object, opts: CallOptions): Promise<Res> {
    return this.unaryAttempts<Res>(service, method, request, opts, false);
  }

  /** A unary RPC with etcdctl's deadline, failover and token-refresh behaviour. */
  async unary<Res>(service: string, method: string, request: object, opts: CallOptions): Promise<Res> {
    try {
      return await this.unaryAttempts<Res>(service, method, request, opts, true);
    } catch (err) {
      if (err instanceof RpcError && this.config.auth && needsNewToken(err)) {
        await this.authenticate();
        return this.unaryAttempts<Res>(service, method, request, opts, true);
      }
      throw err;
    }
  }

  private async unaryAttempts<Res>(service: string, method: string, request: object, opts: CallOptions, failover: boolean): Promise<Res> {
    const def = methodDefinition(service, method);
    for (let attempt = 1; ; attempt++) {
      if (opts.deadline !== undefined && Date.now() >= opts.deadline) throw new RpcError(DEADLINE_EXCEEDED_TEXT, 'DeadlineExceeded');
      const ep = await this.readyEndpoint(opts.deadline);
      try {
        return await new Promise<Res>((resolve, reject) => {
          ep.client.makeUnaryRequest(
            def.path,
            def.requestSerialize,
            keepRawBytes(def.responseDeserialize),
            request,
            this.metadata(),
            { deadline: opts.deadline ?? Infinity },
            (err, value) => (err ? reject(err) : resolve(value as Res)),
          );
        });
      } catch (raw) {
        const err = raw as grpc.ServiceError;
        const retriable = failover && attempt < MAX_ATTEMPTS && (isNeverSent(err) || (opts.idempotent && err.code === grpc.status.UNAVAILABLE));
        if (!retriable) throw fromGrpcError(err);
        await sleep(RETRY_BACKOFF_MS);
      }
    }
  }

  /** Opens a server-streaming RPC on a ready endpoint. */
  async serverStream(service: string, method: string, request: object, deadline?: number): Promise<grpc.ClientReadableStream<object>> {
    const def = methodDefinition(service, method);
    const ep = await this.readyEndpoint(deadline);
    return ep.client.makeServerStreamRequest(def.path, def.requestSerialize, keepRawBytes(def.responseDeserialize), request, this.metadata(), {
      deadline: deadline ?? Infinity,
    });
  }

  /** Opens a bidirectional stream on a ready endpoint. */
  async bidiStream(service: string, method: string, deadline?: number, extraMetadata?: Record<string, string>): Promise<grpc.ClientDuplexStream<object, object>> {
    const def = methodDefinition(service, method);
    const ep = await this.readyEndpoint(deadline);
    const md = this.metadata();
    for (const [k, v] of Object.entries(extraMetadata ?? {})) md.set(k, v);
    return ep.client.makeBidiStreamRequest(def.path, def.requestSerialize, keepRawBytes(def.responseDeserialize), md, { deadline: deadline ?? Infinity });
  }

  /** Deadline for commands that use --command-timeout. */
  commandDeadline(): number {
    return Date.now() + this.config.commandTimeoutMs;
  }

  close(): void {
    this.closed = true;
    for (const ep of this.endpoints) ep.client.close();
  }
}
