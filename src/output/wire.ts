// Just enough of the protobuf wire format to cut one embedded message out of
// an encoded response (etcdctl's `-w protobuf` prints only the ResponseHeader
// for lease commands) and to build a length-delimited field in tests.

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;
const WIRE_FIXED32 = 5;

const MAX_FIELD_NUMBER = 2 ** 29 - 1;
const MAX_VARINT_BYTES = 10;

export class WireFormatError extends Error {
  override name = 'WireFormatError';
}

interface Varint {
  value: number;
  next: number;
}

/**
 * Reads a base-128 varint. Values are accumulated with multiplication rather
 * than bit shifts so lengths and tags above 2^31 do not turn negative; values
 * beyond 2^53 lose precision, which is harmless because they are only skipped
 * or compared against the buffer length.
 */
function readVarint(bytes: Uint8Array, offset: number): Varint {
  let value = 0;
  let scale = 1;
  for (let index = 0; index < MAX_VARINT_BYTES; index++) {
    const byte = bytes[offset + index];
    if (byte === undefined) throw new WireFormatError(`truncated varint at byte ${offset}`);
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return { value, next: offset + index + 1 };
  }
  throw new WireFormatError(`varint longer than ${MAX_VARINT_BYTES} bytes at byte ${offset}`);
}

function requireAvailable(bytes: Uint8Array, offset: number, length: number): void {
  if (length > bytes.length - offset) {
    throw new WireFormatError(`field at byte ${offset} needs ${length} bytes, only ${bytes.length - offset} left`);
  }
}

/**
 * Returns the payload of the first length-delimited occurrence of
 * `fieldNumber` in `message` (a view into it, not a copy), or undefined when
 * the field is absent. Other fields are skipped by wire type; malformed or
 * truncated input throws WireFormatError.
 */
export function extractField(message: Uint8Array, fieldNumber: number): Uint8Array | undefined {
  let offset = 0;
  while (offset < message.length) {
    const tagStart = offset;
    const tag = readVarint(message, offset);
    offset = tag.next;
    const wireType = tag.value % 8;
    const field = Math.floor(tag.value / 8);
    if (field === 0 || field > MAX_FIELD_NUMBER) {
      throw new WireFormatError(`invalid field number ${field} at byte ${tagStart}`);
    }

    switch (wireType) {
      case WIRE_VARINT:
        offset = readVarint(message, offset).next;
        break;
      case WIRE_FIXED64:
        requireAvailable(message, offset, 8);
        offset += 8;
        break;
      case WIRE_FIXED32:
        requireAvailable(message, offset, 4);
        offset += 4;
        break;
      case WIRE_LENGTH_DELIMITED: {
        const length = readVarint(message, offset);
        requireAvailable(message, length.next, length.value);
        const end = length.next + length.value;
        if (field === fieldNumber) return message.subarray(length.next, end);
        offset = end;
        break;
      }
      case WIRE_START_GROUP:
      case WIRE_END_GROUP:
        // Groups are proto2-only and never appear in etcd's proto3 messages.
        throw new WireFormatError(`unsupported group wire type ${wireType} at byte ${tagStart}`);
      default:
        throw new WireFormatError(`invalid wire type ${wireType} at byte ${tagStart}`);
    }
  }
  return undefined;
}

function encodeVarint(value: number): number[] {
  const bytes: number[] = [];
  let remaining = value;
  while (remaining >= 0x80) {
    bytes.push((remaining % 0x80) | 0x80);
    remaining = Math.floor(remaining / 0x80);
  }
  bytes.push(remaining);
  return bytes;
}

/** Encodes `payload` as field `fieldNumber` with wire type 2: tag varint, length varint, payload. */
export function encodeLengthDelimitedField(fieldNumber: number, payload: Uint8Array): Uint8Array {
  if (!Number.isInteger(fieldNumber) || fieldNumber < 1 || fieldNumber > MAX_FIELD_NUMBER) {
    throw new RangeError(`field number must be an integer in 1..${MAX_FIELD_NUMBER}, got ${fieldNumber}`);
  }
  const prefix = [...encodeVarint(fieldNumber * 8 + WIRE_LENGTH_DELIMITED), ...encodeVarint(payload.length)];
  const encoded = new Uint8Array(prefix.length + payload.length);
  encoded.set(prefix, 0);
  encoded.set(payload, prefix.length);
  return encoded;
}
