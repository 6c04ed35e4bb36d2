// edit's pure parts: how a value is shown in the editor and what is written back.
import { describe, expect, it } from 'vitest';
import { textForEditing, valueAfterEditing } from '../../../src/commands/edit.js';

const shown = (v: string | Buffer) => textForEditing('"k"', Buffer.from(v));

describe('textForEditing', () => {
  it('shows compact JSON pretty, other JSON and text as they are', () => {
    expect(shown('{"a":1,"b":[1,2]}')).toEqual({ shown: '{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ]\n}\n', compactJson: true, json: true });
    expect(shown('{ "a": 1 }')).toEqual({ shown: '{ "a": 1 }', compactJson: false, json: true });
    expect(shown('plain text')).toEqual({ shown: 'plain text', compactJson: false, json: false });
    expect(shown('{not json')).toEqual({ shown: '{not json', compactJson: false, json: false });
    expect(shown('')).toEqual({ shown: '', compactJson: false, json: false });
  });

  it('never reformats JSON that JSON.parse would change (big numbers, repeated members)', () => {
    expect(shown('{"id":12345678901234567890}').compactJson).toBe(false);
    expect(shown('{"a":1,"a":2}').shown).toBe('{"a":1,"a":2}');
  });

  it('refuses binary values and Kubernetes protobuf', () => {
    expect(() => shown(Buffer.from([0xff, 0xfe]))).toThrow('"k" holds binary data, not text');
    expect(() => shown('a\0b')).toThrow('binary data');
    expect(() => shown(Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, 0x0b])]))).toThrow('Kubernetes protobuf');
  });
});

describe('valueAfterEditing', () => {
  const json = shown('{"a":1}');
  it('writes compact JSON back compact while the pretty layout is kept', () => {
    expect(valueAfterEditing(json, '{\n  "a": 2\n}\n')).toEqual({ kind: 'write', value: Buffer.from('{"a":2}') });
  });
  it('writes the layout the user chose', () => {
    expect(valueAfterEditing(json, '{"a": 2}\n')).toEqual({ kind: 'write', value: Buffer.from('{"a": 2}\n') });
  });
  it('unchanged, and an added final newline is no change', () => {
    expect(valueAfterEditing(json, json.shown)).toEqual({ kind: 'unchanged' });
    expect(valueAfterEditing(shown('text'), 'text\n')).toEqual({ kind: 'unchanged' });
    expect(valueAfterEditing(shown('text'), 'text2\n')).toEqual({ kind: 'write', value: Buffer.from('text2') });
    expect(valueAfterEditing(shown('line\n'), 'line\n\n')).toEqual({ kind: 'write', value: Buffer.from('line\n\n') });
  });
  it('JSON that no longer parses is not written', () => {
    expect(valueAfterEditing(json, '{\n  "a": \n}\n').kind).toBe('invalid-json');
  });
});
