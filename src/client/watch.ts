// The Watch service the way clientv3's watcher uses it: all watches share one bidirectional
// stream opened with "require leader" metadata; creations go one at a time (a Created answer
// names the watch); progress notifications without a watch id go to every watch.
//
// When the stream breaks (the member died or restarted: Unavailable, Internal) a new one is opened
// on whichever endpoint is ready and every watch is created again from the revision after the
// last one it delivered, so nothing is lost or seen twice. Any other stream error, and "no leader",
// ends every watch with a final cancelled response carrying the error (clientv3's closeErr).
//
// The stream hands over each response's wire bytes (no protobufjs decoding): the fields this
// logic needs are read from them (watch-wire.ts), and a response keeps its bytes until printed.
import type { ClientDuplexStream, ServiceError } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { RpcError } from '../common/errors.js';
import type { Event__Output } from '../generated/mvccpb/Event.js';
import type { ResponseHeader__Output } from '../generated/etcdserverpb/ResponseHeader.js';
import type { WatchResponse__Output } from '../generated/etcdserverpb/WatchResponse.js';
import { decodeMessage } from './proto.js';
import { decodeHeader, modRevisionOf, scanWatchResponse, type WatchWire } from './watch-wire.js';
import type { WatchRequest } from '../generated/etcdserverpb/WatchRequest.js';
import { isTokenError, type Connection } from './connection.js';
import { fromGrpcError } from './grpc-errors.js';

const WATCH = 'etcdserverpb.Watch';
/** clientv3.WithRequireLeader: the server refuses (and later cancels) the stream without a leader. */
const REQUIRE_LEADER = { hasleader: 'true' };
const NO_LEADER = 'etcdserver: no leader';
const COMPACTED = 'etcdserver: mvcc: required revision has been compacted';
const FUTURE_REV = 'etcdserver: mvcc: required revision is a future revision';
/** The server's watch id for responses that belong to no watch. */
const NO_WATCH_ID = '-1';
/** clientv3's reconnect back-off: from 1 ms, +25 % per failure, at most 100 ms. */
const MIN_BACKOFF_MS = 1;
const MAX_BACKOFF_MS = 100;

export interface WatchOptions {
  key: Buffer;
  /** Empty or absent: the single key. */
  rangeEnd?: Buffer;
  /** First revision to deliver; 0 means "changes after now". */
  startRevision: bigint;
  prevKv?: boolean;
  progressNotify?: boolean;
  /**
   * Ends the watch, cancelling it on the server, once it delivered an event at or after this
   * revision (a stretch of a replay: watch-replay.ts), so that it holds no more than that.
   */
  untilRevision?: bigint;
}

/** What a WatchResponse holds besides its wire bytes. */
interface WatchResponseFields {
  header: ResponseHeader__Output;
  /** The response's wire bytes, read; null in the final response of a watch ended by a stream error. */
  wire: WatchWire | null;
  /** How many of the wire's events are this response's (fewer once a replay cut it: slice()). */
  eventCount: number;
  compactRevision: string;
  canceled: boolean;
  created: boolean;
  cancelReason: string;
  /** The error that closed the stream under this watch (final response only). */
  closeError?: RpcError;
}

/**
 * One response as a watch delivers it (clientv3.WatchResponse). It keeps the wire bytes, from
 * which simple and json output are printed (output/watch-render.ts); `events` decodes them into
 * objects on first use, for the formats and callers that want every field as a value.
 */
export class WatchResponse implements WatchResponseFields {
  readonly header!: ResponseHeader__Output;
  readonly wire!: WatchWire | null;
  readonly eventCount!: number;
  readonly compactRevision!: string;
  readonly canceled!: boolean;
  readonly created!: boolean;
  readonly cancelReason!: string;
  readonly closeError?: RpcError;
  private decoded: Event__Output[] | undefined;

  constructor(fields: WatchResponseFields) {
    Object.assign(this, fields);
  }

  /** The events as objects; null only in the final response of a watch its stream failed under (Go's nil slice). */
  get events(): Event__Output[] | null {
    if (!this.wire) return null;
    this.decoded ??= (decodeMessage('etcdserverpb.WatchResponse', this.wire.buf) as WatchResponse__Output).events.slice(0, this.eventCount);
    return this.decoded;
  }

  /** The same response with only its first `count` events. */
  slice(count: number): WatchResponse {
    const { header, wire, compactRevision, canceled, created, cancelReason, closeError } = this;
    const eventCount = Math.min(count, this.eventCount);
    return new WatchResponse({ header, wire, eventCount, compactRevision, canceled, created, cancelReason, closeError });
  }
}

const ZERO_HEADER: ResponseHeader__Output = { cluster_id: '0', member_id: '0', revision: '0', raft_term: '0' };

/** clientv3's WatchResponse.Err(): why the watch ended, or undefined for an ordinary response. */
export function watchResponseError(resp: WatchResponse): string | undefined {
  if (resp.closeError) return resp.closeError.message;
  if (resp.compactRevision !== '0') return COMPACTED;
  if (resp.canceled) {
    if (resp.cancelReason === '') return FUTURE_REV;
    // rpctypes.Error(status FailedPrecondition): etcd's own texts come through as they are.
    return resp.cancelReason.startsWith('etcdserver: ') ? resp.cancelReason : `rpc error: code = FailedPrecondition desc = ${resp.cancelReason}`;
  }
  return undefined;
}

/** clientv3's IsProgressNotify. */
export function isProgressNotify(resp: WatchResponse): boolean {
  return resp.eventCount === 0 && !resp.canceled && !resp.created && resp.compactRevision === '0' && resp.header.revision !== '0';
}

/** A response as the server sent it. */
export function watchResponseOf(wire: WatchWire): WatchResponse {
  return new WatchResponse({
    header: decodeHeader(wire.header),
    wire,
    eventCount: wire.eventCount,
    compactRevision: wire.compactRevision,
    canceled: wire.canceled,
    created: wire.created,
    cancelReason: wire.cancelReason,
  });
}

/** The final response of a watch whose stream failed under it (clientv3's closeErr). */
export function closedBy(err: RpcError): WatchResponse {
  return new WatchResponse({
    header: { ...ZERO_HEADER },
    wire: null,
    eventCount: 0,
    compactRevision: '0',
    canceled: true,
    created: false,
    cancelReason: '',
    closeError: err,
  });
}

/** One watch: an async iterable of its responses, ending after a final (cancelled) one or cancel(). */
export class Watcher implements AsyncIterable<WatchResponse> {
  /** The revision to ask for when the watch is created (again). */
  nextRevision: bigint;
  /** The server's id while the watch exists on the current stream. */
  id: string | undefined;
  /** Created once after a stale auth token, as the client refreshes the token once. */
  tokenRetried = false;
  private readonly queue: WatchResponse[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  cancelled = false;
  /** Settles once the server created the watch, or the watch ended first. */
  readonly ready: Promise<void>;
  private markReady!: () => void;

  constructor(
    readonly options: WatchOptions,
    private readonly owner: WatchService,
  ) {
    this.nextRevision = options.startRevision;
    this.ready = new Promise<void>((resolve) => (this.markReady = resolve));
  }

  createRequest(): WatchRequest {
    return {
      create_request: {
        key: this.options.key,
        range_end: this.options.rangeEnd ?? Buffer.alloc(0),
        start_revision: this.nextRevision.toString(),
        progress_notify: this.options.progressNotify ?? false,
        prev_kv: this.options.prevKv ?? false,
      },
    };
  }

  /** Notes the Created answer; a watch from "now" continues after the revision it was created at. */
  created(wire: WatchWire): void {
    this.id = wire.watchId;
    if (this.nextRevision === 0n) this.nextRevision = BigInt(decodeHeader(wire.header).revision) + 1n;
    this.markReady();
  }

  /** Queues a response; returns false when it was the watch's last. */
  deliver(resp: WatchResponse): boolean {
    if (this.ended) return false;
    const last = resp.wire && resp.eventCount > 0 ? modRevisionOf(resp.wire, resp.eventCount - 1) : undefined;
    if (last !== undefined) this.nextRevision = last + 1n;
    else if (!resp.created && resp.header.revision !== '0') this.nextRevision = BigInt(resp.header.revision) + 1n;
    this.queue.push(resp);
    const final = watchResponseError(resp) !== undefined;
    if (final) this.ended = true;
    this.notify();
    const { untilRevision } = this.options;
    if (!final && untilRevision !== undefined && last !== undefined && last >= untilRevision) this.cancel();
    return !final;
  }

  /** Ends the watch after what is queued, optionally with a last response. */
  end(last?: WatchResponse): void {
    if (this.ended) return;
    if (last) this.queue.push(last);
    this.ended = true;
    this.markReady();
    this.notify();
  }

  /** Stops the watch; iteration ends once what is already queued has been read. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.end();
    this.owner.cancelWatcher(this);
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchResponse> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class WatchService {
  private call: ClientDuplexStream<object, object> | undefined;
  /** Bumped whenever the current stream is dropped, so late events of an old stream are ignored. */
  private generation = 0;
  private opening = false;
  /** Watches waiting to be created, in order; the first one's request is on the wire when createSent. */
  private pending: Watcher[] = [];
  private createSent = false;
  private readonly active = new Map<string, Watcher>();
  /** Watch ids we asked the server to cancel (so each is asked once per stream). */
  private cancelSent = new Set<string>();
  private progressWanted = false;
  /** Fragments received so far, per watch id. */
  private fragments = new Map<string, Buffer[]>();
  private backoffMs = MIN_BACKOFF_MS;
  private closed = false;
  /** The error that ended a watch at creation (clientv3 keeps it for the stream's other watches). */
  private closeError: RpcError | undefined;

  constructor(private readonly conn: Connection) {}

  /** Starts a watch; read its responses by iterating the returned Watcher. */
  watch(options: WatchOptions): Watcher {
    const watcher = new Watcher(options, this);
    if (this.closed) {
      watcher.end();
      return watcher;
    }
    this.pending.push(watcher);
    if (this.call) this.sendNextCreate();
    else void this.open();
    return watcher;
  }

  /** Asks the server for a progress notification on every watch of the stream. */
  requestProgress(): void {
    if (this.call) this.write({ progress_request: {} });
    else if (this.opening) this.progressWanted = true;
  }

  /** Ends every watch and the stream, without final responses. */
  close(): void {
    this.closed = true;
    for (const w of [...this.pending, ...this.active.values()]) w.end();
    this.pending = [];
    this.active.clear();
    this.dropStream();
  }

  /** Called by Watcher.cancel(). */
  cancelWatcher(watcher: Watcher): void {
    const index = this.pending.indexOf(watcher);
    // A creation already on the wire is cancelled when its Created answer arrives.
    if (index > 0 || (index === 0 && !this.createSent)) this.pending.splice(index, 1);
    if (watcher.id !== undefined && this.active.get(watcher.id) === watcher) {
      this.active.delete(watcher.id);
      this.sendCancel(watcher.id);
    }
    this.closeIfIdle();
  }

  private write(req: WatchRequest): void {
    this.call?.write(req);
  }

  private sendCancel(id: string): void {
    if (this.cancelSent.has(id)) return;
    this.cancelSent.add(id);
    this.write({ cancel_request: { watch_id: id } });
  }

  private sendNextCreate(): void {
    if (!this.call || this.createSent) return;
    const next = this.pending[0];
    if (!next) return;
    this.createSent = true;
    this.write(next.createRequest());
  }

  private closeIfIdle(): void {
    if (this.pending.length === 0 && this.active.size === 0) this.dropStream();
  }

  private dropStream(): void {
    this.generation++;
    this.createSent = false;
    const call = this.call;
    this.call = undefined;
    if (call) {
      call.removeAllListeners();
      call.on('error', () => {});
      call.end();
      call.cancel();
    }
  }

  private async open(): Promise<void> {
    if (this.opening || this.call) return;
    this.opening = true;
    let call: ClientDuplexStream<object, object>;
    try {
      call = await this.conn.bidiStream(WATCH, 'Watch', undefined, REQUIRE_LEADER, (bytes) => bytes);
    } catch {
      // Only a closed connection refuses to wait for an endpoint: the command is ending.
      for (const w of [...this.pending, ...this.active.values()]) w.end();
      this.pending = [];
      this.active.clear();
      return;
    } finally {
      this.opening = false;
    }
    if (this.closed || (this.pending.length === 0 && this.active.size === 0 && !this.progressWanted)) {
      call.on('error', () => {});
      call.cancel();
      return;
    }
    const generation = ++this.generation;
    this.call = call;
    this.createSent = false;
    this.cancelSent = new Set();
    this.fragments = new Map();
    call.on('data', (bytes: Buffer) => {
      if (generation === this.generation) this.onResponse(bytes);
    });
    call.on('error', (err: ServiceError) => {
      if (generation === this.generation) void this.onStreamEnd(err);
    });
    call.on('end', () => {
      if (generation === this.generation) void this.onStreamEnd(undefined);
    });
    this.sendNextCreate();
    if (this.progressWanted) {
      this.progressWanted = false;
      this.write({ progress_request: {} });
    }
  }

  private onResponse(bytes: Buffer): void {
    this.backoffMs = MIN_BACKOFF_MS;
    let wire = scanWatchResponse(bytes);
    const id = wire.watchId;
    const pieces = this.fragments.get(id);
    if (wire.fragment || pieces) {
      // A response cut into fragments (only for watches created with `fragment`, which clientv3
      // asks for only WithFragment: never here). Concatenated messages are one merged message:
      // the events of all of them, in order.
      if (wire.fragment) {
        if (pieces) pieces.push(bytes);
        else this.fragments.set(id, [bytes]);
        return;
      }
      this.fragments.delete(id);
      wire = scanWatchResponse(Buffer.concat([...pieces!, bytes]));
    }
    if (wire.created) {
      this.onCreated(wire);
      return;
    }
    if (wire.canceled && wire.compactRevision === '0') {
      // The server dropped the watch (or confirmed our cancel): it just ends.
      this.cancelSent.delete(id);
      const watcher = this.active.get(id);
      if (watcher) {
        this.active.delete(id);
        watcher.end(this.closeError ? closedBy(this.closeError) : undefined);
      }
      this.closeIfIdle();
      return;
    }
    const resp = watchResponseOf(wire);
    if (id === NO_WATCH_ID && isProgressNotify(resp)) {
      for (const watcher of this.active.values()) watcher.deliver(resp);
      return;
    }
    const watcher = this.active.get(id);
    if (!watcher) {
      this.sendCancel(id);
      return;
    }
    if (!watcher.deliver(resp)) {
      this.active.delete(id);
      this.closeIfIdle();
    }
  }

  private onCreated(wire: WatchWire): void {
    this.createSent = false;
    const watcher = this.pending.shift();
    const refused = wire.watchId === NO_WATCH_ID || (wire.canceled && wire.cancelReason !== '');
    if (watcher && refused) {
      // The reason is a gRPC status text: `rpc error: code = Unauthenticated desc = etcdserver: …`.
      const reason = wire.cancelReason.replace(/^rpc error: code = \w+ desc = /, '');
      if (isTokenError(reason) && this.conn.config.auth && !watcher.tokenRetried) {
        // The stream's token went stale: fetch a new one and create everything again on a new stream.
        watcher.tokenRetried = true;
        this.pending.unshift(watcher);
        void this.resume(undefined, true);
        return;
      }
      this.closeError = new RpcError(wire.cancelReason, 'FailedPrecondition');
      watcher.end(watcher.cancelled ? undefined : closedBy(this.closeError));
    } else if (watcher) {
      watcher.created(wire);
      if (watcher.cancelled) this.sendCancel(wire.watchId);
      else this.active.set(wire.watchId, watcher);
    }
    this.sendNextCreate();
    this.closeIfIdle();
  }

  /** The stream failed or ended: resume on a new one, or end every watch with the error. */
  private async onStreamEnd(err: ServiceError | undefined): Promise<void> {
    const rpcErr = err ? fromGrpcError(err) : undefined;
    const retriable = err === undefined || err.code === status.UNAVAILABLE || err.code === status.INTERNAL;
    if (rpcErr && (!retriable || rpcErr.message === NO_LEADER)) {
      this.dropStream();
      const watchers = [...this.pending, ...this.active.values()];
      this.pending = [];
      this.active.clear();
      for (const w of watchers) w.end(w.cancelled ? undefined : closedBy(rpcErr));
      return;
    }
    await this.resume(err, false);
  }

  private async resume(err: ServiceError | undefined, refreshToken: boolean): Promise<void> {
    this.dropStream();
    // Watches that existed go back in line behind those still waiting, as clientv3 requeues them.
    for (const w of this.active.values()) {
      w.id = undefined;
      this.pending.push(w);
    }
    this.active.clear();
    if (err && err.code === status.UNAVAILABLE) {
      this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs + this.backoffMs / 4);
      await sleep(this.backoffMs);
    }
    if (refreshToken) await this.conn.refreshToken().catch(() => undefined);
    if (this.closed || this.pending.length === 0) return;
    await this.open();
  }
}
