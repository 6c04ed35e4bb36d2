// snapshot status (hash, revision, keys, size), its four printers, the save stream's SHA-256
// trailer check, go-humanize's relative time and the zap log encodings.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSnapshotStatus } from '../../../src/commands/snapshot-offline.js';
import { zapConsoleLine, zapJsonLine, zapString } from '../../../src/go/zap.js';
import { writeBolt } from '../../../src/offline/bbolt.js';
import { crc32c } from '../../../src/offline/crc32c.js';
import { revisionKey } from '../../../src/offline/restore.js';
import { SnapshotDigest, humanizeTime, progressLine } from '../../../src/offline/snapshot-stream.js';
import { snapshotStatus } from '../../../src/offline/status.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'etcdctl-ts-status-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('snapshotStatus', () => {
  it('hashes bucket names, keys and values in order and finds the last revision', () => {
    const file = path.join(dir, 'a.db');
    const keys = [revisionKey(2n, 0n), revisionKey(7n, 1n)];
    writeBolt(file, {
      entries: () => [
        { key: Buffer.from('alarm'), bucket: { entries: () => [] } },
        {
          key: Buffer.from('key'),
          bucket: { entries: () => keys.map((k, i) => ({ key: k, value: Buffer.from(`v${i}`) })) },
        },
        { key: Buffer.from('meta'), bucket: { entries: () => [{ key: Buffer.from('term'), value: Buffer.from('x') }] } },
      ],
    });
    const expected = crc32c(
      Buffer.concat([Buffer.from('alarm'), Buffer.from('key'), keys[0]!, Buffer.from('v0'), keys[1]!, Buffer.from('v1'), Buffer.from('meta'), Buffer.from('termx')]),
    );
    const status = snapshotStatus(file);
    expect(status).toEqual({ hash: expected, revision: 7n, totalKey: 3, totalSize: BigInt(fs.statSync(file).size) });
    // A SHA-256 trailer after the pages changes nothing.
    const withTrailer = path.join(dir, 'b.db');
    const data = fs.readFileSync(file);
    fs.writeFileSync(withTrailer, Buffer.concat([data, createHash('sha256').update(data).digest()]));
    expect(snapshotStatus(withTrailer)).toEqual(status);
  });

  it('fails with Go/bbolt messages', () => {
    expect(() => snapshotStatus(path.join(dir, 'nope'))).toThrow(`stat ${path.join(dir, 'nope')}: no such file or directory`);
    const empty = path.join(dir, 'empty');
    fs.writeFileSync(empty, '');
    expect(() => snapshotStatus(empty)).toThrow(`write ${empty}: bad file descriptor`);
    expect(() => snapshotStatus(dir)).toThrow(`open ${dir}: is a directory`);
  });
});

describe('renderSnapshotStatus', () => {
  const s = { hash: 3710382911, revision: 22n, totalKey: 27, totalSize: 20480n };
  it('prints every format like etcdutl', () => {
    expect(renderSnapshotStatus('simple', s)).toBe('dd27f33f, 22, 27, 20 kB\n');
    expect(renderSnapshotStatus('json', s)).toBe('{"hash":3710382911,"revision":22,"totalKey":27,"totalSize":20480}\n');
    expect(renderSnapshotStatus('fields', s)).toBe('"Hash" : 3710382911\n"Revision" : 22\n"Keys" : 27\n"Size" : 20480\n');
    expect(renderSnapshotStatus('table', s)).toBe(
      '+----------+----------+------------+------------+\n' +
        '|   HASH   | REVISION | TOTAL KEYS | TOTAL SIZE |\n' +
        '+----------+----------+------------+------------+\n' +
        '| dd27f33f |       22 |         27 |      20 kB |\n' +
        '+----------+----------+------------+------------+\n',
    );
    expect(() => renderSnapshotStatus('protobuf', s)).toThrow('protobuf not supported as output format');
  });
});

describe('SnapshotDigest', () => {
  const db = Buffer.alloc(1024, 5);
  const stream = Buffer.concat([db, createHash('sha256').update(db).digest()]);

  it('accepts a stream whose last 32 bytes are the digest of the rest, however it is chunked', () => {
    for (const size of [1, 7, 32, 33, 500, stream.length]) {
      const d = new SnapshotDigest();
      for (let i = 0; i < stream.length; i += size) d.update(stream.subarray(i, i + size));
      expect(d.size).toBe(1056);
      expect(d.hasTrailer()).toBe(true);
      expect(d.matches()).toBe(true);
    }
  });

  it('rejects a missing or wrong trailer', () => {
    const short = new SnapshotDigest();
    short.update(db);
    expect(short.hasTrailer()).toBe(false);
    const bad = new SnapshotDigest();
    const copy = Buffer.from(stream);
    copy[10] ^= 1;
    bad.update(copy);
    expect(bad.hasTrailer()).toBe(true);
    expect(bad.matches()).toBe(false);
  });
});

describe('humanizeTime and progress', () => {
  it('reads like go-humanize', () => {
    const now = 1_000_000_000;
    expect(humanizeTime(now - 300, now)).toBe('now');
    expect(humanizeTime(now - 1500, now)).toBe('1 second ago');
    expect(humanizeTime(now - 42_000, now)).toBe('42 seconds ago');
    expect(humanizeTime(now - 90_000, now)).toBe('1 minute ago');
    expect(humanizeTime(now - 11 * 60_000, now)).toBe('11 minutes ago');
    expect(humanizeTime(now - 3 * 3_600_000, now)).toBe('3 hours ago');
  });
  it('shows bytes, share and rate', () => {
    expect(progressLine(1_200_000, 3_400_000, 1000)).toBe('1.2 MB / 3.4 MB (35%), 1.2 MB/s');
    expect(progressLine(5000, undefined, 0)).toBe('5.0 kB, 0 B/s');
  });
});

describe('zap encodings', () => {
  const date = new Date(Date.UTC(2026, 10, 22, 4, 25, 57, 552));
  it('writes JSON lines like etcdctl', () => {
    if (date.getTimezoneOffset() !== 0) return; // the layout carries the local zone
    expect(zapJsonLine({ level: 'info', caller: 'v3/maintenance.go:212', msg: 'opened snapshot stream; downloading', logger: 'client' }, date)).toBe(
      '{"level":"info","ts":"2026-11-22T04:25:57.552000Z","logger":"client","caller":"v3/maintenance.go:212","msg":"opened snapshot stream; downloading"}\n',
    );
    expect(zapJsonLine({ level: 'info', caller: 'c.go:1', msg: 'saved', fields: [['path', 'a"b<c']] }, date)).toBe(
      '{"level":"info","ts":"2026-11-22T04:25:57.552000Z","caller":"c.go:1","msg":"saved","path":"a\\"b<c"}\n',
    );
  });
  it('writes console lines like etcdutl', () => {
    if (date.getTimezoneOffset() !== 0) return;
    expect(
      zapConsoleLine(
        { level: 'info', caller: 'membership/cluster.go:421', msg: 'added member', fields: [['local-member-id', '0'], ['urls', ['a', 'b']], ['n', 0n]] },
        date,
      ),
    ).toBe('2026-11-22T04:25:57Z\tinfo\tmembership/cluster.go:421\tadded member\t{"local-member-id": "0", "urls": ["a", "b"], "n": 0}\n');
    expect(zapConsoleLine({ level: 'info', caller: 'm/s.go:1', msg: 'Trimming...' }, date)).toBe('2026-11-22T04:25:57Z\tinfo\tm/s.go:1\tTrimming...\n');
  });
  it('escapes like zap', () => {
    expect(zapString('tab\there\u0001é')).toBe('"tab\\there\\u0001é"');
  });
});
