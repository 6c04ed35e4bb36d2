// The bbolt file format (go.etcd.io/bbolt v1.3, as etcd 3.5 writes its backend), read and written
// natively.
//
// Layout: the file is an array of pages of `pageSize` bytes. Pages 0 and 1 are meta pages (the one
// with the higher txid that passes its checksum wins); the meta names the root bucket's page, the
// freelist page (or none: etcd runs bbolt with NoFreelistSync) and the high-water mark. Every bucket
// is a B+tree of branch and leaf pages; a small bucket without sub-buckets is stored "inline" as a
// page image inside its parent's leaf value. An element too big for one page makes its page span
// `overflow` further pages. All integers are little-endian (amd64/arm64 layout).
//
// Reading goes page by page through positional reads, so databases of any size are fine. Writing
// produces a fresh, compacted file in one pass: no free pages, leaves filled up, sub-trees written
// before their parents, exactly one valid tree. bbolt (and so etcd) opens it like any other.
import fs from 'node:fs';

export const PAGE_HEADER_SIZE = 16;
export const BRANCH_ELEMENT_SIZE = 16;
export const LEAF_ELEMENT_SIZE = 16;
export const BUCKET_HEADER_SIZE = 16;
const META_SIZE = 64;
/** Offset of the checksum inside the meta struct (the bytes before it are hashed). */
const META_CHECKSUM_OFFSET = 56;

export const PAGE_FLAG_BRANCH = 0x01;
export const PAGE_FLAG_LEAF = 0x02;
export const PAGE_FLAG_META = 0x04;
export const PAGE_FLAG_FREELIST = 0x10;
export const LEAF_FLAG_BUCKET = 0x01;

export const BOLT_MAGIC = 0xed0cdaed;
export const BOLT_VERSION = 2;
/** Meta freelist id meaning "no freelist page" (NoFreelistSync). */
export const PGID_NO_FREELIST = 0xffffffffffffffffn;
export const DEFAULT_PAGE_SIZE = 4096;
/** Files up to this size are read into memory at once; larger ones page by page. */
const IN_MEMORY_LIMIT = 512 * 1024 * 1024;
/** What scanLeaves reads at once. */
const SCAN_CHUNK_BYTES = 8 * 1024 * 1024;

/** An error with bbolt's own message text (what etcdutl prints after `Error: `). */
export class BoltError extends Error {
  override name = 'BoltError';
}

/**
 * A page that cannot be what the tree says it is (truncated file, flipped bits). bbolt does not
 * return an error there: it panics or faults, so etcdutl dies with exit status 2.
 */
export class BoltCorruptError extends BoltError {
  override name = 'BoltCorruptError';
}

// ---------------------------------------------------------------------------------------------
// Meta pages

export interface BoltMeta {
  magic: number;
  version: number;
  pageSize: number;
  flags: number;
  rootPgid: bigint;
  rootSequence: bigint;
  freelist: bigint;
  /** High-water mark: number of pages in use. */
  pgid: bigint;
  txid: bigint;
  checksum: bigint;
}

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const U64 = 0xffffffffffffffffn;

/** FNV-1a 64 (Go's hash/fnv New64a), as bbolt checksums its meta. */
export function fnv64a(data: Uint8Array): bigint {
  let h = FNV64_OFFSET;
  for (const byte of data) h = ((h ^ BigInt(byte)) * FNV64_PRIME) & U64;
  return h;
}

/** Decodes the meta struct found at `offset` (just after a page header). */
export function decodeMeta(buf: Buffer, offset: number): BoltMeta {
  return {
    magic: buf.readUInt32LE(offset),
    version: buf.readUInt32LE(offset + 4),
    pageSize: buf.readUInt32LE(offset + 8),
    flags: buf.readUInt32LE(offset + 12),
    rootPgid: buf.readBigUInt64LE(offset + 16),
    rootSequence: buf.readBigUInt64LE(offset + 24),
    freelist: buf.readBigUInt64LE(offset + 32),
    pgid: buf.readBigUInt64LE(offset + 40),
    txid: buf.readBigUInt64LE(offset + 48),
    checksum: buf.readBigUInt64LE(offset + 56),
  };
}

/** bbolt's meta.validate(): the error text, or undefined when the meta is usable. */
export function metaError(buf: Buffer, offset: number): string | undefined {
  const meta = decodeMeta(buf, offset);
  if (meta.magic !== BOLT_MAGIC) return 'invalid database';
  if (meta.version !== BOLT_VERSION) return 'version mismatch';
  if (meta.checksum !== fnv64a(buf.subarray(offset, offset + META_CHECKSUM_OFFSET))) return 'checksum error';
  return undefined;
}

/** A whole meta page (page header + meta) for `txid`, checksummed. */
export function encodeMetaPage(pageSize: number, meta: Omit<BoltMeta, 'magic' | 'version' | 'checksum'>): Buffer {
  const page = Buffer.alloc(pageSize);
  page.writeBigUInt64LE(meta.txid % 2n, 0);
  page.writeUInt16LE(PAGE_FLAG_META, 8);
  const m = PAGE_HEADER_SIZE;
  page.writeUInt32LE(BOLT_MAGIC, m);
  page.writeUInt32LE(BOLT_VERSION, m + 4);
  page.writeUInt32LE(meta.pageSize, m + 8);
  page.writeUInt32LE(meta.flags, m + 12);
  page.writeBigUInt64LE(meta.rootPgid, m + 16);
  page.writeBigUInt64LE(meta.rootSequence, m + 24);
  page.writeBigUInt64LE(meta.freelist, m + 32);
  page.writeBigUInt64LE(meta.pgid, m + 40);
  page.writeBigUInt64LE(meta.txid, m + 48);
  page.writeBigUInt64LE(fnv64a(page.subarray(m, m + META_CHECKSUM_OFFSET)), m + META_CHECKSUM_OFFSET);
  return page;
}

// ---------------------------------------------------------------------------------------------
// Pages

export interface PageHeader {
  id: bigint;
  flags: number;
  count: number;
  overflow: number;
}

export function readPageHeader(buf: Buffer, offset = 0): PageHeader {
  return {
    id: buf.readBigUInt64LE(offset),
    flags: buf.readUInt16LE(offset + 8),
    count: buf.readUInt16LE(offset + 10),
    overflow: buf.readUInt32LE(offset + 12),
  };
}

export function pageTypeName(flags: number): string {
  if (flags & PAGE_FLAG_BRANCH) return 'branch';
  if (flags & PAGE_FLAG_LEAF) return 'leaf';
  if (flags & PAGE_FLAG_META) return 'meta';
  if (flags & PAGE_FLAG_FREELIST) return 'freelist';
  return `unknown<${flags.toString(16).padStart(2, '0')}>`;
}

/** One element of a leaf page: a key and either a value or a sub-bucket header (+ inline page). */
export interface LeafElement {
  flags: number;
  key: Buffer;
  value: Buffer;
}

export interface BranchElement {
  key: Buffer;
  pgid: number;
}

/** The elements of a leaf page image that starts at `base` in `buf`. */
export function leafElements(buf: Buffer, base = 0): LeafElement[] {
  const count = buf.readUInt16LE(base + 10);
  const out: LeafElement[] = [];
  for (let i = 0; i < count; i++) {
    const e = base + PAGE_HEADER_SIZE + i * LEAF_ELEMENT_SIZE;
    const flags = buf.readUInt32LE(e);
    const pos = buf.readUInt32LE(e + 4);
    const ksize = buf.readUInt32LE(e + 8);
    const vsize = buf.readUInt32LE(e + 12);
    const k = e + pos;
    if (k + ksize + vsize > buf.length) throw new BoltCorruptError(`leaf element ${i} runs past the end of its page`);
    out.push({ flags, key: buf.subarray(k, k + ksize), value: buf.subarray(k + ksize, k + ksize + vsize) });
  }
  return out;
}

export function branchElements(buf: Buffer, base = 0): BranchElement[] {
  const count = buf.readUInt16LE(base + 10);
  const out: BranchElement[] = [];
  for (let i = 0; i < count; i++) {
    const e = base + PAGE_HEADER_SIZE + i * BRANCH_ELEMENT_SIZE;
    const pos = buf.readUInt32LE(e);
    const ksize = buf.readUInt32LE(e + 4);
    const pgid = Number(buf.readBigUInt64LE(e + 8));
    const k = e + pos;
    if (k + ksize > buf.length) throw new BoltCorruptError(`branch element ${i} runs past the end of its page`);
    out.push({ key: buf.subarray(k, k + ksize), pgid });
  }
  return out;
}

/** A bucket as stored in its parent's leaf value: root page (0 = inline) and sequence. */
export interface BucketRef {
  root: number;
  sequence: bigint;
  /** For an inline bucket: its page image (the value after the 16-byte bucket header). */
  inline?: Buffer;
}

export function decodeBucketValue(value: Buffer): BucketRef {
  if (value.length < BUCKET_HEADER_SIZE) throw new BoltCorruptError('bucket header too short');
  const root = Number(value.readBigUInt64LE(0));
  const sequence = value.readBigUInt64LE(8);
  if (root === 0) return { root, sequence, inline: value.subarray(BUCKET_HEADER_SIZE) };
  return { root, sequence };
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface Entry {
  key: Buffer;
  /** null for a sub-bucket (what bbolt's ForEach passes). */
  value: Buffer | null;
  bucket?: BucketRef;
}

/** A read-only bbolt file, opened the way bbolt.Open(path, 0400, {ReadOnly: true}) does. */
export class BoltReader {
  readonly pageSize: number;
  readonly meta: BoltMeta;
  readonly fileSize: number;
  private fd: number;
  /** The whole file, when it is small enough to hold in memory (pages are then views into it). */
  private data: Buffer | undefined;

  private constructor(fd: number, fileSize: number, pageSize: number, meta: BoltMeta, wholeFile: boolean) {
    this.fd = fd;
    this.fileSize = fileSize;
    this.pageSize = pageSize;
    this.meta = meta;
    if (wholeFile && fileSize <= IN_MEMORY_LIMIT) this.data = readAt(fd, 0, fileSize);
  }

  /**
   * Opens `path`. Errors carry bbolt's messages: `invalid database`, `file size too small`,
   * `version mismatch`, `checksum error`; a zero-length file fails as bbolt's read-only init does.
   * A file up to 512 MiB is read into memory at once unless `wholeFile` is false (then pages are
   * read as they are asked for, and scanLeaves reads in chunks).
   */
  static open(path: string, options: { wholeFile?: boolean } = {}): BoltReader {
    const fd = fs.openSync(path, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size === 0) throw new BoltError(`write ${path}: bad file descriptor`);
      const pageSize = BoltReader.detectPageSize(fd, size);
      if (size < pageSize * 2) throw new BoltError('file size too small');
      const meta0 = readAt(fd, 0, Math.min(pageSize, PAGE_HEADER_SIZE + META_SIZE));
      const meta1 = readAt(fd, pageSize, PAGE_HEADER_SIZE + META_SIZE);
      const err0 = metaError(meta0, PAGE_HEADER_SIZE);
      const err1 = metaError(meta1, PAGE_HEADER_SIZE);
      if (err0 !== undefined && err1 !== undefined) throw new BoltError(err0);
      const m0 = decodeMeta(meta0, PAGE_HEADER_SIZE);
      const m1 = decodeMeta(meta1, PAGE_HEADER_SIZE);
      // bbolt's db.meta(): the higher txid wins if it validates, else the other one.
      let meta: BoltMeta;
      if (m1.txid > m0.txid) meta = err1 === undefined ? m1 : m0;
      else meta = err0 === undefined ? m0 : m1;
      return new BoltReader(fd, size, pageSize, meta, options.wholeFile ?? true);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }

  /** bbolt's getPageSize: meta 0, else the second meta at 1 KiB … 16 MiB, else the default. */
  private static detectPageSize(fd: number, size: number): number {
    let canRead = false;
    const first = readAt(fd, 0, 0x1000);
    if (first.length === 0x1000) {
      canRead = true;
      if (metaError(first, PAGE_HEADER_SIZE) === undefined) return decodeMeta(first, PAGE_HEADER_SIZE).pageSize;
    }
    for (let i = 0; i <= 14; i++) {
      const pos = 1024 << i;
      if (pos >= size - 1024) break;
      const buf = readAt(fd, pos, 0x1000);
      if (buf.length === 0x1000 || buf.length === size - pos) {
        canRead = true;
        if (buf.length >= PAGE_HEADER_SIZE + META_SIZE && metaError(buf, PAGE_HEADER_SIZE) === undefined) {
          return decodeMeta(buf, PAGE_HEADER_SIZE).pageSize;
        }
      }
    }
    if (canRead) return DEFAULT_PAGE_SIZE;
    throw new BoltError('invalid database');
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    this.data = undefined;
  }

  /** tx.Size(): the high-water mark in bytes. */
  get size(): bigint {
    return this.meta.pgid * BigInt(this.pageSize);
  }

  /** The page `id` with its overflow pages. */
  page(id: number): Buffer {
    const offset = id * this.pageSize;
    if (offset + this.pageSize > this.fileSize) {
      throw new BoltCorruptError(`page ${id}: beyond the end of the file (${this.fileSize} bytes)`);
    }
    const first = this.data ? this.data.subarray(offset, offset + this.pageSize) : readAt(this.fd, offset, this.pageSize);
    const overflow = first.readUInt32LE(12);
    if (overflow === 0) return first;
    const length = (overflow + 1) * this.pageSize;
    if (offset + length > this.fileSize) {
      throw new BoltCorruptError(`page ${id}: overflow runs beyond the end of the file (${this.fileSize} bytes)`);
    }
    return this.data ? this.data.subarray(offset, offset + length) : readAt(this.fd, offset, length);
  }

  /** The root bucket (top-level bucket names). */
  rootBucket(): BucketRef {
    return { root: Number(this.meta.rootPgid), sequence: this.meta.rootSequence };
  }

  /** Every entry of `bucket` in key order (sub-buckets have value null and `bucket` set). */
  *entries(bucket: BucketRef): Generator<Entry> {
    if (bucket.inline !== undefined) {
      yield* this.leafEntries(bucket.inline, 0);
      return;
    }
    yield* this.treeEntries(bucket.root, 0);
  }

  /**
   * Calls `visit` with every leaf page of `bucket` in file order (not key order), reading the file
   * sequentially in chunks through one reused buffer: one pass over a large bucket costs a few
   * big reads and memory only for the chunks holding something the caller keeps: `visit` returns
   * true when it kept views into the page, and the chunk is then left alone (the next one gets a
   * new buffer) instead of being read over. `wanted` gets each leaf's lower key bound (from its
   * parent branch) and may rule the leaf out unread.
   */
  scanLeaves(bucket: BucketRef, visit: (page: Buffer, base: number) => boolean, wanted: (lowerBound: Buffer) => boolean = () => true): void {
    if (bucket.inline !== undefined) {
      visit(bucket.inline, 0);
      return;
    }
    // The branch pages (few) are read one by one; the leaves below them are only listed.
    const leaves: number[] = [];
    const walk = (pgid: number, depth: number) => {
      if (depth > 64) throw new BoltCorruptError(`page ${pgid}: tree deeper than 64 levels`);
      const page = this.page(pgid);
      const flags = page.readUInt16LE(8);
      if (flags & PAGE_FLAG_LEAF) {
        visit(page, 0);
        return;
      }
      if (!(flags & PAGE_FLAG_BRANCH)) throw new BoltCorruptError(`page ${pgid}: invalid page type: ${pageTypeName(flags)}`);
      const children = branchElements(page).filter((child) => wanted(child.key));
      // bbolt's trees are balanced: the children of a branch are all leaves or all branches.
      const firstChild = children[0];
      if (firstChild === undefined) return;
      if (this.pageFlags(firstChild.pgid) & PAGE_FLAG_BRANCH) for (const child of children) walk(child.pgid, depth + 1);
      else for (const child of children) leaves.push(child.pgid);
    };
    walk(bucket.root, 0);
    leaves.sort((a, b) => a - b);
    const chunkSize = Math.min(SCAN_CHUNK_BYTES, Math.max(this.pageSize, this.fileSize));
    let chunk = Buffer.allocUnsafe(chunkSize);
    for (let i = 0; i < leaves.length; ) {
      const start = leaves[i]! * this.pageSize;
      let last = i;
      while (last + 1 < leaves.length && (leaves[last + 1]! + 1) * this.pageSize - start <= chunk.length) last++;
      const length = (leaves[last]! + 1) * this.pageSize - start;
      if (start + length > this.fileSize) throw new BoltCorruptError(`page ${leaves[last]}: beyond the end of the file (${this.fileSize} bytes)`);
      const got = fs.readSync(this.fd, chunk, 0, length, start);
      let kept = false;
      if (got < length) throw new BoltCorruptError(`page ${leaves[last]}: beyond the end of the file (${this.fileSize} bytes)`);
      for (; i <= last; i++) {
        const offset = leaves[i]! * this.pageSize - start;
        const span = (chunk.readUInt32LE(offset + 12) + 1) * this.pageSize;
        // A page with overflow pages past the chunk is read on its own.
        const page = offset + span <= length ? chunk.subarray(offset, offset + span) : this.page(leaves[i]!);
        const flags = page.readUInt16LE(8);
        if (!(flags & PAGE_FLAG_LEAF)) throw new BoltCorruptError(`page ${leaves[i]}: invalid page type: ${pageTypeName(flags)}`);
        if (visit(page, 0)) kept = true;
      }
      if (kept) chunk = Buffer.allocUnsafe(chunkSize);
    }
  }

  /** Whether the file changed size since it was opened (a running etcd grows it before writing). */
  resizedSinceOpen(): boolean {
    return fs.fstatSync(this.fd).size !== this.fileSize;
  }

  private pageFlags(pgid: number): number {
    if (this.data) return this.page(pgid).readUInt16LE(8);
    if ((pgid + 1) * this.pageSize > this.fileSize) throw new BoltCorruptError(`page ${pgid}: beyond the end of the file (${this.fileSize} bytes)`);
    return readAt(this.fd, pgid * this.pageSize, PAGE_HEADER_SIZE).readUInt16LE(8);
  }

  /**
   * Whether a process writing the file (a running etcd) may have reused pages of the tree this
   * reader chose at open. bbolt is copy-on-write: transaction N+1 frees tree N's pages, and only
   * a transaction after it (N+2 or later) can write over them. So a reader that re-reads the
   * metas after reading its pages and finds no transaction past N+1 read an intact tree N; past
   * that, it reads again. (etcd also keeps a read transaction open at the newest tree, which
   * delays the reuse further.) Nothing is locked: etcd is never blocked.
   */
  overwrittenSinceOpen(): boolean {
    let newest = this.meta.txid;
    for (const offset of [0, this.pageSize]) {
      const buf = readAt(this.fd, offset, PAGE_HEADER_SIZE + META_SIZE);
      if (buf.length === PAGE_HEADER_SIZE + META_SIZE && metaError(buf, PAGE_HEADER_SIZE) === undefined) {
        const txid = decodeMeta(buf, PAGE_HEADER_SIZE).txid;
        if (txid > newest) newest = txid;
      }
    }
    return newest > this.meta.txid + 1n;
  }

  private *treeEntries(pgid: number, depth: number): Generator<Entry> {
    if (depth > 64) throw new BoltCorruptError(`page ${pgid}: tree deeper than 64 levels`);
    const page = this.page(pgid);
    const flags = page.readUInt16LE(8);
    if (flags & PAGE_FLAG_LEAF) {
      yield* this.leafEntries(page, 0);
    } else if (flags & PAGE_FLAG_BRANCH) {
      for (const child of branchElements(page)) yield* this.treeEntries(child.pgid, depth + 1);
    } else {
      throw new BoltCorruptError(`page ${pgid}: invalid page type: ${pageTypeName(flags)}`);
    }
  }

  private *leafEntries(page: Buffer, base: number): Generator<Entry> {
    const flags = page.readUInt16LE(base + 8);
    if (!(flags & PAGE_FLAG_LEAF)) throw new BoltCorruptError(`inline bucket page has type ${pageTypeName(flags)}`);
    for (const e of leafElements(page, base)) {
      if (e.flags & LEAF_FLAG_BUCKET) yield { key: e.key, value: null, bucket: decodeBucketValue(e.value) };
      else yield { key: e.key, value: e.value };
    }
  }

  /** The named top-level bucket, or undefined. */
  bucket(name: string | Buffer): BucketRef | undefined {
    const key = typeof name === 'string' ? Buffer.from(name) : name;
    for (const e of this.entries(this.rootBucket())) {
      if (e.key.equals(key)) return e.bucket;
    }
    return undefined;
  }

  /** The ids of free pages: from the freelist page, or (NoFreelistSync) every unreachable page. */
  freePages(onError: (msg: string) => void): number[] {
    if (this.meta.freelist !== PGID_NO_FREELIST) {
      const page = this.page(Number(this.meta.freelist));
      const flags = page.readUInt16LE(8);
      if (!(flags & PAGE_FLAG_FREELIST)) {
        throw new BoltCorruptError(`invalid freelist page: ${this.meta.freelist}, page type is ${pageTypeName(flags)}`);
      }
      let count = page.readUInt16LE(10);
      let idx = 0;
      if (count === 0xffff) {
        count = Number(page.readBigUInt64LE(PAGE_HEADER_SIZE));
        idx = 1;
      }
      const ids: number[] = [];
      for (let i = 0; i < count; i++) ids.push(Number(page.readBigUInt64LE(PAGE_HEADER_SIZE + (idx + i) * 8)));
      return ids.sort((a, b) => a - b);
    }
    // bbolt's freepages(): walk the reachable pages; the rest (from page 2) is free.
    const reachable = new Map<number, number>();
    this.checkBucket(this.rootBucket(), reachable, new Set(), onError);
    const free: number[] = [];
    for (let i = 2; i < Number(this.meta.pgid); i++) if (!reachable.has(i)) free.push(i);
    return free;
  }

  /**
   * tx.Check(): consistency errors with bbolt's messages (double frees, pages referenced twice or
   * not at all, bad page types, keys out of order).
   */
  check(): string[] {
    const errors: string[] = [];
    const report = (msg: string) => errors.push(msg);
    let freeList: number[];
    if (this.meta.freelist === PGID_NO_FREELIST) {
      const walkErrors: string[] = [];
      freeList = this.freePages((m) => walkErrors.push(m));
      if (walkErrors.length > 0) throw new BoltPanic(`freepages: failed to get all reachable pages (${walkErrors[0]})`);
      // The free pages are exactly the unreachable ones, found by a walk that saw no error: the
      // checks below (the same walk against that free list) cannot find anything.
      return errors;
    } else {
      freeList = this.freePages(report);
    }
    const freed = new Set<number>();
    for (const id of freeList) {
      if (freed.has(id)) report(`page ${id}: already freed`);
      freed.add(id);
    }
    const reachable = new Map<number, number>();
    reachable.set(0, 0);
    reachable.set(1, 1);
    if (this.meta.freelist !== PGID_NO_FREELIST) {
      const fl = Number(this.meta.freelist);
      const overflow = this.page(fl).readUInt32LE(12);
      for (let i = 0; i <= overflow; i++) reachable.set(fl + i, fl);
    }
    this.checkBucket(this.rootBucket(), reachable, freed, report);
    for (let i = 0; i < Number(this.meta.pgid); i++) {
      if (!reachable.has(i) && !freed.has(i)) report(`page ${i}: unreachable unfreed`);
    }
    return errors;
  }

  private checkBucket(b: BucketRef, reachable: Map<number, number>, freed: Set<number>, report: (msg: string) => void): void {
    if (b.root !== 0) {
      const hwm = Number(this.meta.pgid);
      this.forEachPage(b.root, [], (id, header, stack) => {
        if (id > hwm) report(`page ${id}: out of bounds: ${hwm} (stack: ${goSlice(stack)})`);
        for (let i = 0; i <= header.overflow; i++) {
          if (reachable.has(id + i)) report(`page ${id + i}: multiple references (stack: ${goSlice(stack)})`);
          reachable.set(id + i, id);
        }
        if (freed.has(id)) report(`page ${id}: reachable freed`);
        else if (!(header.flags & PAGE_FLAG_BRANCH) && !(header.flags & PAGE_FLAG_LEAF)) {
          report(`page ${id}: invalid type: ${pageTypeName(header.flags)} (stack: ${goSlice(stack)})`);
        }
      });
      this.checkKeyOrder(b.root, null, null, [], report);
    }
    for (const e of this.entries(b)) {
      if (e.bucket) this.checkBucket(e.bucket, reachable, freed, report);
    }
  }

  private forEachPage(id: number, stack: number[], fn: (id: number, header: PageHeader, stack: number[]) => void): void {
    if (stack.length > 64) throw new BoltCorruptError(`page ${id}: tree deeper than 64 levels`);
    const here = [...stack, id];
    const page = this.page(id);
    const header = readPageHeader(page);
    fn(id, header, here);
    if (header.flags & PAGE_FLAG_BRANCH) {
      for (const child of branchElements(page)) this.forEachPage(child.pgid, here, fn);
    }
  }

  /** bbolt's recursivelyCheckPages: keys sorted, and within their parent's key range. */
  private checkKeyOrder(
    id: number,
    minKeyClosed: Buffer | null,
    maxKeyOpen: Buffer | null,
    stack: number[],
    report: (msg: string) => void,
  ): Buffer | null {
    const page = this.page(id);
    const here = [...stack, id];
    const flags = page.readUInt16LE(8);
    let maxInSubtree: Buffer | null = null;
    if (flags & PAGE_FLAG_BRANCH) {
      const elems = branchElements(page);
      let runningMin = minKeyClosed;
      elems.forEach((elem, i) => {
        verifyKeyOrder(elem.pgid, 'branch', i, elem.key, runningMin, maxKeyOpen, here, report);
        const maxKey = i < elems.length - 1 ? elems[i + 1]!.key : maxKeyOpen;
        maxInSubtree = this.checkKeyOrder(elem.pgid, elem.key, maxKey, here, report);
        runningMin = maxInSubtree;
      });
      return maxInSubtree;
    }
    if (flags & PAGE_FLAG_LEAF) {
      const elems = leafElements(page);
      let runningMin = minKeyClosed;
      elems.forEach((elem, i) => {
        verifyKeyOrder(id, 'leaf', i, elem.key, runningMin, maxKeyOpen, here, report);
        runningMin = elem.key;
      });
      return elems.length > 0 ? elems[elems.length - 1]!.key : null;
    }
    report(`unexpected page type for pgId:${id}`);
    return null;
  }
}

/** A failure where bbolt itself panics (the Go process dies with exit status 2). */
export class BoltPanic extends Error {
  override name = 'BoltPanic';
}

function goSlice(ids: number[]): string {
  return `[${ids.join(' ')}]`;
}

function verifyKeyOrder(
  id: number,
  pageType: string,
  index: number,
  key: Buffer,
  previous: Buffer | null,
  maxKeyOpen: Buffer | null,
  stack: number[],
  report: (msg: string) => void,
): void {
  const hex = (b: Buffer | null) => (b ? b.toString('hex') : '');
  if (index === 0 && previous !== null && Buffer.compare(previous, key) > 0) {
    report(
      `the first key[${index}]=(hex)${hex(key)} on ${pageType} page(${id}) needs to be >= the key in the ancestor (${hex(previous)}). Stack: ${goSlice(stack)}`,
    );
  }
  if (index > 0) {
    const cmp = Buffer.compare(previous ?? Buffer.alloc(0), key);
    if (cmp > 0) {
      report(
        `key[${index}]=(hex)${hex(key)} on ${pageType} page(${id}) needs to be > (found <) than previous element (hex)${hex(previous)}. Stack: ${goSlice(stack)}`,
      );
    }
    if (cmp === 0) {
      report(
        `key[${index}]=(hex)${hex(key)} on ${pageType} page(${id}) needs to be > (found =) than previous element (hex)${hex(previous)}. Stack: ${goSlice(stack)}`,
      );
    }
  }
  if (maxKeyOpen !== null && Buffer.compare(key, maxKeyOpen) >= 0) {
    report(
      `key[${index}]=(hex)${hex(key)} on ${pageType} page(${id}) needs to be < than key of the next element in ancestor (hex)${hex(previous)}. Pages stack: ${goSlice(stack)}`,
    );
  }
}

/** Reads up to `length` bytes at `position` (fewer at the end of the file). */
function readAt(fd: number, position: number, length: number): Buffer {
  // Not zero-filled: only the bytes read are returned (a 200 MB file is read in one go).
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buf : buf.subarray(0, done);
}

// ---------------------------------------------------------------------------------------------
// Writing

/** What the writer stores under a key: a plain value, or a sub-bucket with its own entries. */
export type WriteEntry = { key: Buffer; value: Buffer } | { key: Buffer; bucket: BucketSource };

export interface BucketSource {
  sequence?: bigint;
  /** Entries in strictly increasing key order (bytewise). */
  entries(): Iterable<WriteEntry>;
}

export interface WriteOptions {
  pageSize?: number;
  /** Transaction id recorded in the newer meta page (default 3; meta 0 gets txid - 1). */
  txid?: bigint;
}

interface PendingElement {
  flags: number;
  key: Buffer;
  value: Buffer;
}

/**
 * Writes a new bbolt file at `path` holding `root`'s entries (top-level entries must be buckets,
 * as in any bbolt database). The file is created exclusively with mode 0600 and fsynced.
 */
export function writeBolt(path: string, root: BucketSource, options: WriteOptions = {}): void {
  const fd = fs.openSync(path, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  try {
    const writer = new TreeWriter(fd, options.pageSize ?? DEFAULT_PAGE_SIZE);
    const rootRef = writer.writeBucket(root, true);
    const txid = options.txid ?? 3n;
    const hwm = BigInt(writer.nextPgid);
    const pageSize = writer.pageSize;
    for (const t of [txid - 1n, txid]) {
      const page = encodeMetaPage(pageSize, {
        pageSize,
        flags: 0,
        rootPgid: BigInt(rootRef.root),
        rootSequence: rootRef.sequence,
        freelist: PGID_NO_FREELIST,
        pgid: hwm,
        txid: t,
      });
      fs.writeSync(fd, page, 0, page.length, Number(t % 2n) * pageSize);
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

class TreeWriter {
  nextPgid = 2;

  constructor(
    private readonly fd: number,
    readonly pageSize: number,
  ) {
    if (!Number.isInteger(pageSize) || pageSize < 1024 || pageSize > 1 << 24) {
      throw new RangeError(`invalid bbolt page size ${pageSize}`);
    }
  }

  /** Writes one bucket's tree (sub-buckets first) and returns how its parent refers to it. */
  writeBucket(source: BucketSource, isRoot: boolean): BucketRef {
    const sequence = source.sequence ?? 0n;
    const leaves: BranchElement[] = [];
    let pending: PendingElement[] = [];
    let pendingSize = PAGE_HEADER_SIZE;
    let hasSubBucket = false;
    let previousKey: Buffer | undefined;

    for (const entry of source.entries()) {
      if (previousKey !== undefined && Buffer.compare(previousKey, entry.key) >= 0) {
        throw new Error(`bbolt writer: keys out of order (${previousKey.toString('hex')} then ${entry.key.toString('hex')})`);
      }
      previousKey = entry.key;
      let element: PendingElement;
      if ('bucket' in entry) {
        hasSubBucket = true;
        element = { flags: LEAF_FLAG_BUCKET, key: entry.key, value: encodeBucketValue(this.writeBucket(entry.bucket, false)) };
      } else {
        element = { flags: 0, key: entry.key, value: entry.value };
      }
      const size = LEAF_ELEMENT_SIZE + element.key.length + element.value.length;
      if (pending.length > 0 && (pendingSize + size > this.pageSize || pending.length === 0xffff)) {
        leaves.push({ key: pending[0]!.key, pgid: this.writeLeaf(pending, pendingSize) });
        pending = [];
        pendingSize = PAGE_HEADER_SIZE;
      }
      pending.push(element);
      pendingSize += size;
    }

    // bbolt's inlineable(): a single leaf without sub-buckets no bigger than a quarter page.
    if (!isRoot && leaves.length === 0 && !hasSubBucket && pendingSize <= this.pageSize / 4) {
      const image = Buffer.alloc(pendingSize);
      encodeLeaf(image, pending);
      return { root: 0, sequence, inline: image };
    }
    if (pending.length > 0 || leaves.length === 0) {
      leaves.push({ key: pending[0]?.key ?? Buffer.alloc(0), pgid: this.writeLeaf(pending, pendingSize) });
    }
    let level = leaves;
    while (level.length > 1) level = this.writeBranchLevel(level);
    return { root: level[0]!.pgid, sequence };
  }

  private allocate(bytes: number): { pgid: number; buf: Buffer } {
    const pages = Math.max(1, Math.ceil(bytes / this.pageSize));
    const pgid = this.nextPgid;
    this.nextPgid += pages;
    const buf = Buffer.alloc(pages * this.pageSize);
    buf.writeBigUInt64LE(BigInt(pgid), 0);
    buf.writeUInt32LE(pages - 1, 12);
    return { pgid, buf };
  }

  private flush(pgid: number, buf: Buffer): void {
    let done = 0;
    while (done < buf.length) done += fs.writeSync(this.fd, buf, done, buf.length - done, pgid * this.pageSize + done);
  }

  private writeLeaf(elements: PendingElement[], size: number): number {
    const { pgid, buf } = this.allocate(size);
    encodeLeaf(buf, elements);
    buf.writeBigUInt64LE(BigInt(pgid), 0);
    this.flush(pgid, buf);
    return pgid;
  }

  private writeBranchLevel(children: BranchElement[]): BranchElement[] {
    const parents: BranchElement[] = [];
    let group: BranchElement[] = [];
    let size = PAGE_HEADER_SIZE;
    const emit = () => {
      const { pgid, buf } = this.allocate(size);
      encodeBranch(buf, group);
      this.flush(pgid, buf);
      parents.push({ key: group[0]!.key, pgid });
    };
    for (const child of children) {
      const elementSize = BRANCH_ELEMENT_SIZE + child.key.length;
      // At least two children per branch page, so every level shrinks.
      if (group.length >= 2 && (size + elementSize > this.pageSize || group.length === 0xffff)) {
        emit();
        group = [];
        size = PAGE_HEADER_SIZE;
      }
      group.push(child);
      size += elementSize;
    }
    emit();
    return parents;
  }
}

/** Lays out a leaf page image (header fields other than id/overflow included) into `buf`. */
function encodeLeaf(buf: Buffer, elements: PendingElement[]): void {
  buf.writeUInt16LE(PAGE_FLAG_LEAF, 8);
  buf.writeUInt16LE(elements.length, 10);
  let data = PAGE_HEADER_SIZE + elements.length * LEAF_ELEMENT_SIZE;
  elements.forEach((el, i) => {
    const e = PAGE_HEADER_SIZE + i * LEAF_ELEMENT_SIZE;
    buf.writeUInt32LE(el.flags, e);
    buf.writeUInt32LE(data - e, e + 4);
    buf.writeUInt32LE(el.key.length, e + 8);
    buf.writeUInt32LE(el.value.length, e + 12);
    el.key.copy(buf, data);
    data += el.key.length;
    el.value.copy(buf, data);
    data += el.value.length;
  });
}

function encodeBranch(buf: Buffer, elements: BranchElement[]): void {
  buf.writeUInt16LE(PAGE_FLAG_BRANCH, 8);
  buf.writeUInt16LE(elements.length, 10);
  let data = PAGE_HEADER_SIZE + elements.length * BRANCH_ELEMENT_SIZE;
  elements.forEach((el, i) => {
    const e = PAGE_HEADER_SIZE + i * BRANCH_ELEMENT_SIZE;
    buf.writeUInt32LE(data - e, e);
    buf.writeUInt32LE(el.key.length, e + 4);
    buf.writeBigUInt64LE(BigInt(el.pgid), e + 8);
    el.key.copy(buf, data);
    data += el.key.length;
  });
}

/** A bucket's value in its parent: the 16-byte header, then the page image if inline. */
export function encodeBucketValue(ref: BucketRef): Buffer {
  const header = Buffer.alloc(BUCKET_HEADER_SIZE);
  header.writeBigUInt64LE(BigInt(ref.root), 0);
  header.writeBigUInt64LE(ref.sequence, 8);
  return ref.inline ? Buffer.concat([header, ref.inline]) : header;
}

// ---------------------------------------------------------------------------------------------
// Copying with changes

/** Changes to apply to one bucket while copying: a value to put, or null to delete the key. */
export type BucketChanges = Map<string, Buffer | null>;

/**
 * The entries of `source` with `changes` merged in (keys are compared bytewise; the map's keys are
 * latin1 strings of the raw key bytes, see keyString).
 */
export function* mergeEntries(source: Iterable<WriteEntry>, changes: BucketChanges | undefined): Generator<WriteEntry> {
  if (!changes || changes.size === 0) {
    yield* source;
    return;
  }
  const extra = [...changes.entries()]
    .map(([k, v]) => ({ key: Buffer.from(k, 'latin1'), value: v }))
    .sort((a, b) => Buffer.compare(a.key, b.key));
  let i = 0;
  for (const entry of source) {
    while (i < extra.length && Buffer.compare(extra[i]!.key, entry.key) < 0) {
      const e = extra[i++]!;
      if (e.value !== null) yield { key: e.key, value: e.value };
    }
    if (i < extra.length && extra[i]!.key.equals(entry.key)) {
      const e = extra[i++]!;
      if (e.value !== null) yield { key: e.key, value: e.value };
      continue;
    }
    yield entry;
  }
  for (; i < extra.length; i++) {
    const e = extra[i]!;
    if (e.value !== null) yield { key: e.key, value: e.value };
  }
}

/** The BucketChanges key for raw key bytes. */
export function keyString(key: Buffer | string): string {
  return (typeof key === 'string' ? Buffer.from(key) : key).toString('latin1');
}

/** A BucketSource that copies `ref` from `reader`, sub-buckets included. */
export function copiedBucket(reader: BoltReader, ref: BucketRef, changes?: BucketChanges): BucketSource {
  return {
    sequence: ref.sequence,
    entries: () =>
      mergeEntries(
        (function* () {
          for (const e of reader.entries(ref)) {
            if (e.bucket) yield { key: e.key, bucket: copiedBucket(reader, e.bucket) };
            else yield { key: e.key, value: e.value! };
          }
        })(),
        changes,
      ),
  };
}
