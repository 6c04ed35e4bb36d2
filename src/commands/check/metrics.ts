// check datascale's metrics client: the member's resident memory from its /metrics endpoint.
import type { RequestOptions } from 'node:https';
import { readFile } from 'node:fs/promises';
import type { TlsConfig } from '../../client/config.js';
import { goQuote } from '../../go/quote.js';
import { RESIDENT_MEMORY_KEY, type Say, messageOf } from './load.js';

// ---------------------------------------------------------------------------------------------
// check datascale

/** Go's strconv.ParseFloat for a metrics value; undefined for invalid syntax. */
export function parseGoFloat(text: string): number | undefined {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
  if (special) return /nan/i.test(special[2]!) ? NaN : special[1] === '-' ? -Infinity : Infinity;
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** How Go's net/http phrases a failed GET. */
export function fetchErrorText(url: string, err: NodeJS.ErrnoException & { address?: string; port?: number }): string {
  if (err.code === 'ECONNREFUSED' && err.address !== undefined) {
    const host = err.address.includes(':') ? `[${err.address}]` : err.address;
    return `Get ${goQuote(url)}: dial tcp ${host}:${err.port}: connect: connection refused`;
  }
  if (err.code === 'ENOTFOUND') return `Get ${goQuote(url)}: dial tcp: lookup ${new URL(url).hostname}: no such host`;
  return `Get ${goQuote(url)}: ${err.message}`;
}

export async function readFileForTls(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new Error(`open ${path}: ${why}`);
  }
}

/**
 * process_resident_memory_bytes from the endpoint's /metrics (etcdctl's endpointMemoryMetrics):
 * 0 after printing why when it cannot be had.
 */
export async function residentMemoryBytes(endpoint: string, tls: TlsConfig, say: Say): Promise<number> {
  const host = endpoint.startsWith('http://') || endpoint.startsWith('https://') ? endpoint : `http://${endpoint}`;
  const url = `${host}/metrics`;
  let options: RequestOptions = {};
  if (host.startsWith('https://')) {
    try {
      const cert = await readFileForTls(tls.certFile);
      const key = await readFileForTls(tls.keyFile);
      options = { cert, key, rejectUnauthorized: !tls.insecureSkipVerify };
    } catch (err) {
      say(`client certificate error: ${messageOf(err)}\n`);
      return 0;
    }
  }
  // Loaded here: every other command starts without the HTTP stack.
  const { get } = url.startsWith('https://') ? await import('node:https') : await import('node:http');
  let body: string;
  try {
    body = await new Promise<string>((resolve, reject) => {
      const req = get(url, { ...options, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  } catch (err) {
    say(`fetch error: ${fetchErrorText(url, err as NodeJS.ErrnoException)}\n`);
    return 0;
  }
  const line = body.split('\n').find((l) => l.startsWith(RESIDENT_MEMORY_KEY));
  const text = line === undefined ? '' : line.slice(RESIDENT_MEMORY_KEY.length).trim();
  if (text === '') {
    say(`could not find: ${RESIDENT_MEMORY_KEY}\n`);
    return 0;
  }
  const value = parseGoFloat(text);
  if (value === undefined) {
    say(`parse error: strconv.ParseFloat: parsing ${goQuote(text)}: invalid syntax\n`);
    return 0;
  }
  return value;
}

