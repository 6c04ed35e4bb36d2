// What commands hand to the output layer: the response plus what is needed to print it.
import type { RangeResponse__Output } from '../generated/etcdserverpb/RangeResponse.js';
import type { PutResponse__Output } from '../generated/etcdserverpb/PutResponse.js';
import type { DeleteRangeResponse__Output } from '../generated/etcdserverpb/DeleteRangeResponse.js';
import type { OutputFormat } from './format-names.js';
import type { ClusterResult } from './cluster-rows.js';
import type { AuthResult } from './auth-render.js';
import type { TxnResult } from './txn-render.js';
import type { LeaseResult } from './lease-render.js';
import type { WatchResult } from './watch-render.js';
import type { LsResult } from './ls-tree.js';

export type Result =
  | { kind: 'get'; resp: RangeResponse__Output; valueOnly?: boolean }
  | { kind: 'put'; resp: PutResponse__Output }
  | ClusterResult
  | AuthResult
  | TxnResult
  | LeaseResult
  | WatchResult
  | LsResult
  | { kind: 'del'; resp: DeleteRangeResponse__Output };

export type ResultKind = Result['kind'];
export type ResultOf<K extends ResultKind> = Extract<Result, { kind: K }>;

export interface RenderOptions {
  hex: boolean;
  /** The readable formats show Kubernetes objects (default); false shows the stored bytes. */
  k8s?: boolean;
}

/** Renders one kind of result; returns text or raw bytes. */
export type Renderer<K extends ResultKind> = (result: ResultOf<K>, opts: RenderOptions) => string | Uint8Array;

/** A piece of output. */
export type Chunk = string | Uint8Array;

/**
 * A get in one format, rendered as it streams in pages (P: a decoded RangeResponse or a scanned
 * one, proto/range-scan.ts): what comes before the first page's key-values, each page's
 * key-values (`kvsBefore` of them already rendered), and what comes after the last page. A
 * single response is begin + page + end (output/get-stream.ts wholeGet), so the formats' `get`
 * and the streamed get cannot drift apart.
 */
export interface GetStream<P> {
  begin(first: P): Chunk;
  page(page: P, kvsBefore: number): Chunk | readonly Chunk[];
  end(first: P, last: P): Chunk;
  kvCount(page: P): number;
}

/** One output format: a renderer per result kind it supports. A missing kind is "not supported". */
export type Formatter = { [K in ResultKind]?: Renderer<K> };

export type { OutputFormat };
