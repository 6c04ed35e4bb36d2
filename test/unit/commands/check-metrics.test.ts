// check datascale's reading of process_resident_memory_bytes, against a local HTTP server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentMemoryBytes } from '../../../src/commands/check/metrics.js';

let server: http.Server;
let port: number;
let body = '';

beforeAll(async () => {
  server = http.createServer((_, res) => res.end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The lines check would write, gathered. */
function capture(): { io: (line: string) => void; out: () => string } {
  let out = '';
  return { io: (line) => (out += line), out: () => out };
}

const tls = { certFile: '', keyFile: '', caFile: '', insecureTransport: true, insecureSkipVerify: false, serverName: '' };

describe('residentMemoryBytes', () => {
  it('reads the first line starting with the metric name (http:// added)', async () => {
    body = '# HELP process_resident_memory_bytes Resident memory size in bytes.\n# TYPE x gauge\nprocess_resident_memory_bytes 4.2516224e+07\nprocess_resident_memory_bytes 1\n';
    const { io, out } = capture();
    expect(await residentMemoryBytes(`127.0.0.1:${port}`, tls, io)).toBe(42516224);
    expect(out()).toBe('');
  });
  it('reports a missing metric', async () => {
    body = 'go_goroutines 12\n';
    const { io, out } = capture();
    expect(await residentMemoryBytes(`http://127.0.0.1:${port}`, tls, io)).toBe(0);
    expect(out()).toBe('could not find: process_resident_memory_bytes\n');
  });
  it('reports a value that does not parse as Go would', async () => {
    body = 'process_resident_memory_bytes 12MB\n';
    const { io, out } = capture();
    expect(await residentMemoryBytes(`127.0.0.1:${port}`, tls, io)).toBe(0);
    expect(out()).toBe('parse error: strconv.ParseFloat: parsing "12MB": invalid syntax\n');
  });
  it('reports a refused connection like Go net/http', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const dead = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { io, out } = capture();
    expect(await residentMemoryBytes(`127.0.0.1:${dead}`, tls, io)).toBe(0);
    expect(out()).toBe(`fetch error: Get "http://127.0.0.1:${dead}/metrics": dial tcp 127.0.0.1:${dead}: connect: connection refused\n`);
  });
  it('needs a client certificate for https', async () => {
    const { io, out } = capture();
    expect(await residentMemoryBytes(`https://127.0.0.1:${port}`, tls, io)).toBe(0);
    expect(out()).toBe('client certificate error: open : no such file or directory\n');
  });
});
