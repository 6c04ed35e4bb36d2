// A minimal authoritative DNS server over UDP on 127.0.0.1 for discovery tests: it answers SRV
// and A questions from a fixed zone, NXDOMAIN for unknown names and an empty answer (NODATA) for
// known names without records of the asked type. Enough for node's resolver (c-ares); nothing else.
//
//   const dns = await startDnsServer({
//     '_etcd-client-ssl._tcp.etcd.test': { srv: [{ target: 'm0.etcd.test', port: 2379 }] },
//     'm0.etcd.test': { a: ['127.0.0.1'] },
//   });
//   … ETCDCTL_TS_DNS_SERVER=`127.0.0.1:${dns.port}` …
//   await dns.stop();
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface SrvRecord {
  target: string;
  port: number;
  priority?: number;
  weight?: number;
}

export interface ZoneEntry {
  srv?: SrvRecord[];
  a?: string[];
}

/** Owner names (case-insensitive, no trailing dot) → records. */
export type Zone = Record<string, ZoneEntry>;

export interface DnsServer {
  readonly port: number;
  /** "127.0.0.1:<port>" */
  readonly address: string;
  /** Every question received, as "<TYPE> <name>". */
  readonly queries: string[];
  stop(): Promise<void>;
}

const TYPE_A = 1;
const TYPE_SRV = 33;
const CLASS_IN = 1;
const TYPE_NAMES: Record<number, string> = { [TYPE_A]: 'A', [TYPE_SRV]: 'SRV', 28: 'AAAA' };

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter((l) => l !== '');
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

/** The question's name (labels, no compression in questions) and where the question ends. */
function readQuestion(msg: Buffer): { name: string; type: number; end: number } | undefined {
  const labels: string[] = [];
  let offset = 12;
  for (let guard = 0; guard < 128; guard++) {
    const len = msg[offset];
    if (len === undefined || len > 63) return undefined;
    offset++;
    if (len === 0) break;
    labels.push(msg.toString('ascii', offset, offset + len));
    offset += len;
  }
  if (offset + 4 > msg.length) return undefined;
  return { name: labels.join('.'), type: msg.readUInt16BE(offset), end: offset + 4 };
}

function answerRecord(type: number, ttl: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0); // pointer to the question's name
  head.writeUInt16BE(type, 2);
  head.writeUInt16BE(CLASS_IN, 4);
  head.writeUInt32BE(ttl, 6);
  head.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([head, rdata]);
}

function srvData(r: SrvRecord): Buffer {
  const fixed = Buffer.alloc(6);
  fixed.writeUInt16BE(r.priority ?? 0, 0);
  fixed.writeUInt16BE(r.weight ?? 0, 2);
  fixed.writeUInt16BE(r.port, 4);
  return Buffer.concat([fixed, encodeName(r.target)]);
}

function aData(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

/** The reply to one query, or undefined for a message that is not a parsable query. */
export function answer(query: Buffer, zone: Zone): Buffer | undefined {
  if (query.length < 12 || (query[2]! & 0x80) !== 0) return undefined;
  const q = readQuestion(query);
  if (!q) return undefined;
  const entry = Object.entries(zone).find(([name]) => name.toLowerCase() === q.name.toLowerCase())?.[1];
  const records =
    entry === undefined
      ? []
      : q.type === TYPE_SRV
        ? (entry.srv ?? []).map((r) => answerRecord(TYPE_SRV, 60, srvData(r)))
        : q.type === TYPE_A
          ? (entry.a ?? []).map((ip) => answerRecord(TYPE_A, 60, aData(ip)))
          : [];
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  const rd = query[2]! & 0x01;
  header[2] = 0x80 | 0x04 | rd; // QR, AA, RD copied
  header[3] = 0x80 | (entry === undefined ? 3 : 0); // RA, NXDOMAIN or NOERROR
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  return Buffer.concat([header, query.subarray(12, q.end), ...records]);
}

export async function startDnsServer(zone: Zone): Promise<DnsServer> {
  const socket = dgram.createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (msg, rinfo) => {
    const q = readQuestion(msg);
    if (q) queries.push(`${TYPE_NAMES[q.type] ?? q.type} ${q.name}`);
    const reply = answer(msg, zone);
    if (reply) socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    port,
    address: `127.0.0.1:${port}`,
    queries,
    stop: () => (stopped ??= new Promise<void>((resolve) => socket.close(() => resolve()))),
  };
}
