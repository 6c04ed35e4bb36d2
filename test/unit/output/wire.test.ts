import { describe, it, expect } from 'vitest';
import { encodeLengthDelimitedField, extractField, WireFormatError } from '../../../src/output/wire.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((part) => [...part]));

// A ResponseHeader {cluster_id: 1, member_id: 2, revision: 3, raft_term: 4}: four varint fields.
const header = bytes(0x08, 0x01, 0x10, 0x02, 0x18, 0x03, 0x20, 0x04);

describe('encodeLengthDelimitedField', () => {
  it.each<[number, Uint8Array, number[]]>([
    [1, bytes(), [0x0a, 0x00]],
    [1, bytes(0xaa, 0xbb), [0x0a, 0x02, 0xaa, 0xbb]],
    [2, bytes(0x01), [0x12, 0x01, 0x01]],
    [15, bytes(), [0x7a, 0x00]],
    // Field 16 is the first whose tag needs two bytes.
    [16, bytes(), [0x82, 0x01, 0x00]],
    [2 ** 29 - 1, bytes(), [0xfa, 0xff, 0xff, 0xff, 0x0f, 0x00]],
  ])('field %i with %o', (field, payload, expected) => {
    expect([...encodeLengthDelimitedField(field, payload)]).toEqual(expected);
  });

  it('encodes lengths of 128 and more as multi-byte varints', () => {
    const encoded = encodeLengthDelimitedField(1, new Uint8Array(300));
    expect([...encoded.subarray(0, 3)]).toEqual([0x0a, 0xac, 0x02]);
    expect(encoded.length).toBe(3 + 300);
    expect([...encodeLengthDelimitedField(1, new Uint8Array(127)).subarray(0, 2)]).toEqual([0x0a, 0x7f]);
    expect([...encodeLengthDelimitedField(1, new Uint8Array(128)).subarray(0, 3)]).toEqual([0x0a, 0x80, 0x01]);
  });

  it.each([0, -1, 1.5, 2 ** 29, Number.NaN])('rejects field number %s', (field) => {
    expect(() => encodeLengthDelimitedField(field, bytes())).toThrow(RangeError);
  });
});

describe('extractField', () => {
  it('slices the header out of a lease grant response (header=1, ID=2, TTL=3, error=4)', () => {
    const response = concat(
      encodeLengthDelimitedField(1, header),
      bytes(0x10, 0x85, 0xe4, 0xf1, 0xfa, 0xf4, 0xa9, 0xd3, 0xa6, 0x69),
      bytes(0x18, 0x3c),
    );
    expect([...(extractField(response, 1) ?? [])]).toEqual([...header]);
  });

  it('returns a view into the message, not a copy', () => {
    const message = encodeLengthDelimitedField(1, header);
    const payload = extractField(message, 1);
    expect(payload?.buffer).toBe(message.buffer);
    expect(payload?.byteOffset).toBe(2);
  });

  it('finds a field after fields of every skippable wire type', () => {
    const message = concat(
      bytes(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), // field 1 varint, 10 bytes
      bytes(0x11, 1, 2, 3, 4, 5, 6, 7, 8), // field 2 fixed64
      bytes(0x1d, 1, 2, 3, 4), // field 3 fixed32
      encodeLengthDelimitedField(4, bytes(9, 9, 9)),
      encodeLengthDelimitedField(5, bytes(0x42)),
    );
    expect([...(extractField(message, 5) ?? [])]).toEqual([0x42]);
    expect([...(extractField(message, 4) ?? [])]).toEqual([9, 9, 9]);
  });

  it('returns the first occurrence when the field repeats', () => {
    const message = concat(encodeLengthDelimitedField(1, bytes(1)), encodeLengthDelimitedField(1, bytes(2)));
    expect([...(extractField(message, 1) ?? [])]).toEqual([1]);
  });

  it('ignores an occurrence of the field number with a non length-delimited wire type', () => {
    const message = concat(bytes(0x08, 0x05), encodeLengthDelimitedField(1, bytes(7)));
    expect([...(extractField(message, 1) ?? [])]).toEqual([7]);
  });

  it('returns an empty payload for an empty embedded message', () => {
    expect(extractField(bytes(0x0a, 0x00), 1)?.length).toBe(0);
  });

  it('returns undefined when the field is absent or the message is empty', () => {
    expect(extractField(header, 1)).toBeUndefined();
    expect(extractField(bytes(), 1)).toBeUndefined();
  });

  it('handles multi-byte tags and lengths', () => {
    const payload = new Uint8Array(200).fill(0x33);
    const message = concat(encodeLengthDelimitedField(1000, bytes(1)), encodeLengthDelimitedField(300, payload));
    expect(extractField(message, 300)?.length).toBe(200);
    expect([...(extractField(message, 1000) ?? [])]).toEqual([1]);
  });

  it.each<[string, Uint8Array]>([
    ['truncated tag varint', bytes(0x80)],
    ['truncated value varint', bytes(0x08, 0x80)],
    ['fixed64 with 7 bytes', bytes(0x09, 1, 2, 3, 4, 5, 6, 7)],
    ['fixed32 with 3 bytes', bytes(0x0d, 1, 2, 3)],
    ['length beyond the end', bytes(0x12, 0x05, 1, 2)],
    ['truncated length varint', bytes(0x12, 0x80)],
    ['varint longer than 10 bytes', bytes(0x08, ...new Array<number>(10).fill(0x80), 0x01)],
    ['field number 0', bytes(0x02, 0x00)],
    ['start group', bytes(0x0b, 0x0c)],
    ['end group', bytes(0x0c)],
    ['wire type 6', bytes(0x0e)],
    ['wire type 7', bytes(0x0f)],
  ])('rejects %s', (_name, message) => {
    expect(() => extractField(message, 9)).toThrow(WireFormatError);
  });

  it('stops at the wanted field before reaching later garbage', () => {
    const message = concat(encodeLengthDelimitedField(1, bytes(1)), bytes(0x0f));
    expect([...(extractField(message, 1) ?? [])]).toEqual([1]);
  });
});
