// CRC-32 with the Castagnoli polynomial (Go's crc32.MakeTable(crc32.Castagnoli)), the checksum
// etcd uses for WAL records, .snap files and `snapshot status` hashes. Slicing-by-8 tables make it
// fast enough to hash multi-gigabyte databases.

const POLY = 0x82f63b78; // reversed Castagnoli polynomial

const TABLES: Uint32Array[] = (() => {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  const first = tables[0]!;
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    first[i] = c >>> 0;
  }
  for (let i = 0; i < 256; i++) {
    let c = first[i]!;
    for (let t = 1; t < 8; t++) {
      c = (first[c & 0xff]! ^ (c >>> 8)) >>> 0;
      tables[t]![i] = c;
    }
  }
  return tables;
})();

const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES as [
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
];

/** Go's crc32.Update(crc, castagnoliTable, data): continues a running checksum. */
export function crc32cUpdate(crc: number, data: Uint8Array): number {
  let c = ~crc >>> 0;
  let i = 0;
  const n = data.length;
  for (; i + 8 <= n; i += 8) {
    const a = (c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
    c =
      T7[a & 0xff]! ^
      T6[(a >>> 8) & 0xff]! ^
      T5[(a >>> 16) & 0xff]! ^
      T4[a >>> 24]! ^
      T3[data[i + 4]!]! ^
      T2[data[i + 5]!]! ^
      T1[data[i + 6]!]! ^
      T0[data[i + 7]!]!;
  }
  for (; i < n; i++) c = T0[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32C of `data`. */
export function crc32c(data: Uint8Array): number {
  return crc32cUpdate(0, data);
}

/** A running CRC-32C, like Go's hash.Hash32 from crc32.New(castagnoliTable). */
export class Crc32c {
  private value: number;
  constructor(initial = 0) {
    this.value = initial >>> 0;
  }
  update(data: Uint8Array): this {
    this.value = crc32cUpdate(this.value, data);
    return this;
  }
  digest(): number {
    return this.value;
  }
}
