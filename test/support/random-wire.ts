// Deterministic random protobuf contents for the wire-level output tests (range-wire, watch-wire):
// awkward 64-bit numbers, text and binary bytes, key-values of every size.

/** A small deterministic generator (tests must not flake). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const INT64S = ['0', '1', '9', '10', '99', '12345', '9007199254740991', '9007199254740992', '9223372036854775807', '-1', '-9223372036854775808', '4294967296', '2147483648'];
export const UINT64S = ['0', '1', '18446744073709551615', '13840612959256127543', '8323986056893657061', '4294967295'];

export const pickWith =
  (r: () => number) =>
  <T>(xs: T[]): T =>
    xs[Math.floor(r() * xs.length)]!;

/** Up to `max` bytes, printable or any. */
export function randomBytes(r: () => number, max: number): Buffer {
  const n = Math.floor(r() * max);
  const b = Buffer.alloc(n);
  const kind = r();
  for (let i = 0; i < n; i++) b[i] = kind < 0.5 ? 0x20 + Math.floor(r() * 95) : Math.floor(r() * 256);
  return b;
}

/** An mvccpb.KeyValue: mostly short keys and values, sometimes long ones. */
export function randomKeyValue(r: () => number) {
  const pick = pickWith(r);
  return {
    key: randomBytes(r, r() < 0.1 ? 400 : 24),
    create_revision: pick(INT64S),
    mod_revision: pick(INT64S),
    version: pick(INT64S),
    value: randomBytes(r, r() < 0.1 ? 1000 : 120),
    lease: pick(INT64S),
  };
}

/** An etcdserverpb.ResponseHeader, or (one time in ten) none. */
export function randomHeader(r: () => number): { header?: object } {
  const pick = pickWith(r);
  return r() < 0.9 ? { header: { cluster_id: pick(UINT64S), member_id: pick(UINT64S), revision: pick(INT64S), raft_term: pick(UINT64S) } } : {};
}
