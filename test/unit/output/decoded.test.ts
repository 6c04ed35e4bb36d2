// The readable view behind -w json-decoded and -w yaml.
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { Binary, decodeMessage, toJsonLine, toYaml, toYamlDocument } from '../../../src/output/decoded.js';
import { jsonDecodedFormat, yamlFormat } from '../../../src/output/formats/decoded-formats.js';

const header = { cluster_id: '14841639068965178418', member_id: '10276657743932975437', revision: '9007199254740993', raft_term: '2' };
const kv = (key: Buffer, value: Buffer) => ({ key, value, create_revision: '5', mod_revision: '6', version: '2', lease: '0' });
const resp = { header, kvs: [kv(Buffer.from('/app/a'), Buffer.from('héllo')), kv(Buffer.from('bin'), Buffer.from([0xff, 0x00, 0xfe]))], more: false, count: '2' };

describe('decodeMessage', () => {
  it('keeps text as text, marks binary, keeps 64-bit integers exact as strings', () => {
    const d = decodeMessage(resp, 'etcdserverpb.RangeResponse') as Record<string, any>;
    expect(d.header.revision).toBe('9007199254740993');
    expect(d.kvs[0].key).toBe('/app/a');
    expect(d.kvs[0].value).toBe('héllo');
    expect(d.kvs[1].value).toBeInstanceOf(Binary);
    expect(d.count).toBe('2');
    expect(d.more).toBe(false);
  });

  it('names enums and keeps only the set member of a oneof', () => {
    const txn = {
      header,
      succeeded: true,
      responses: [{ response: 'response_put', response_put: { header, prev_kv: null } }],
    };
    const d = decodeMessage(txn, 'etcdserverpb.TxnResponse') as Record<string, any>;
    expect(Object.keys(d.responses[0])).toEqual(['response_put']);
    const alarm = decodeMessage({ header, alarms: [{ memberID: '1', alarm: 1 }] }, 'etcdserverpb.AlarmResponse') as Record<string, any>;
    expect(alarm.alarms[0].alarm).toBe('NOSPACE');
  });
});

describe('json-decoded', () => {
  it('is one line of JSON with base64 markers for binary', () => {
    const line = jsonDecodedFormat.get!({ kind: 'get', resp: resp as never }, { hex: false }) as string;
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trim()).not.toContain('\n');
    const parsed = JSON.parse(line);
    expect(parsed.kvs[1].value).toEqual({ base64: Buffer.from([0xff, 0x00, 0xfe]).toString('base64') });
    expect(parsed.header.cluster_id).toBe('14841639068965178418');
  });
});

describe('yaml', () => {
  it('writes a block document, quoting what YAML would misread', () => {
    expect(toYamlDocument({ a: 'plain/text', b: 'true', c: '123', d: '', e: 'x: y', f: [], g: {}, h: [{ k: 'v', num: 1 }], i: new Binary(Buffer.from([1, 2])) })).toBe(
      ['---', 'a: plain/text', 'b: "true"', 'c: "123"', 'd: ""', 'e: "x: y"', 'f: []', 'g: {}', 'h:', '- k: v', '  num: 1', 'i: !!binary AQI=', ''].join('\n'),
    );
  });

  it('renders a get', () => {
    const text = yamlFormat.get!({ kind: 'get', resp: resp as never }, { hex: false }) as string;
    expect(text).toContain('- key: /app/a\n  create_revision: "5"');
    expect(text).toContain('  value: !!binary /wD+');
    expect(toJsonLine('x')).toBe('"x"\n');
  });
});

describe('yaml scalars (the yaml package decides plain, quoted or block)', () => {
  const awkward = ['a\nb', ' lead', 'trail ', '#x', '- x', 'x: y', '\u0001', 'null', '~', '', '0x1F', '1e3', 'ü', '"q"', "'s'", '{a}', '[b]', 'a\n\nb\n', '---', 'yes', '2008-01-01T01:01:01Z'];
  it('reads back as the same strings, as values, keys and sequence items, at any depth', () => {
    const doc = { top: Object.fromEntries(awkward.map((s, i) => [s, { v: s, list: [s, [s], { k: s }], n: i }])), seq: awkward };
    expect(parseYaml(toYaml(doc))).toEqual(doc);
  });
});
