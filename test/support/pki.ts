// Certificates made at test time with the openssl CLI, in a fresh temp dir that cleanup() removes:
// a CA, a server certificate for 127.0.0.1 (and the names in `serverNames`), client certificates
// whose CN is the etcd user name, an expired client certificate, and a client certificate from an
// unrelated CA. P-256 keys: quick to make.
//
//   const pki = await makePki({ clients: ['root', 'alice'] });
//   pki.client('alice').cert, pki.ca, pki.server.key …
//   await pki.cleanup();
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface KeyPair {
  cert: string;
  key: string;
}

export interface Pki {
  dir: string;
  /** The CA that signs the server and client certificates. */
  ca: string;
  /** Another CA, trusted by nobody: its bundle is a "wrong CA" for clients. */
  otherCa: string;
  server: KeyPair;
  client(name: string): KeyPair;
  /** CN "expired", signed by the CA, no longer valid. */
  expired: KeyPair;
  /** CN "stranger", signed by the other CA. */
  stranger: KeyPair;
  cleanup(): Promise<void>;
}

const OPENSSL_TIMEOUT_MS = 20_000;

function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { cwd, timeout: OPENSSL_TIMEOUT_MS }, (err, _stdout, stderr) =>
      err ? reject(new Error(`openssl ${args.join(' ')} failed: ${err.message}\n${stderr}`)) : resolve(),
    );
  });
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function makeCa(dir: string, name: string): Promise<void> {
  await openssl(['req', '-x509', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`], dir);
}

/** A leaf certificate for `cn` signed by `ca`; negative `days` gives an already expired one. */
async function makeLeaf(dir: string, file: string, cn: string, ca: string, sans: string[], days = 2): Promise<KeyPair> {
  await openssl(['req', ...EC_KEY, '-keyout', `${file}.key`, '-out', `${file}.csr`, '-subj', `/CN=${cn}`], dir);
  const ext = [`subjectAltName=${sans.join(',')}`, 'extendedKeyUsage=serverAuth,clientAuth', 'keyUsage=digitalSignature'].join('\n');
  await fsp.writeFile(path.join(dir, `${file}.ext`), `${ext}\n`);
  await openssl(
    ['x509', '-req', '-in', `${file}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-out', `${file}.crt`, '-days', String(days), '-extfile', `${file}.ext`],
    dir,
  );
  return { cert: path.join(dir, `${file}.crt`), key: path.join(dir, `${file}.key`) };
}

export async function makePki(opts: { clients: string[]; serverNames?: string[] }): Promise<Pki> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'etcdctl-ts-pki-'));
  try {
    await Promise.all([makeCa(dir, 'ca'), makeCa(dir, 'other-ca')]);
    const serverSans = ['IP:127.0.0.1', 'DNS:localhost', ...(opts.serverNames ?? []).map((n) => `DNS:${n}`)];
    const [server, expired, stranger, ...clients] = await Promise.all([
      makeLeaf(dir, 'server', 'etcd-server', 'ca', serverSans),
      makeLeaf(dir, 'expired', 'expired', 'ca', ['DNS:expired'], -1),
      makeLeaf(dir, 'stranger', 'stranger', 'other-ca', ['DNS:stranger']),
      ...opts.clients.map((name) => makeLeaf(dir, `client-${name}`, name, 'ca', [`DNS:${name}`])),
    ]);
    const byName = new Map(opts.clients.map((name, i) => [name, clients[i]!]));
    return {
      dir,
      ca: path.join(dir, 'ca.crt'),
      otherCa: path.join(dir, 'other-ca.crt'),
      server: server!,
      expired: expired!,
      stranger: stranger!,
      client: (name) => {
        const pair = byName.get(name);
        if (!pair) throw new Error(`makePki: no client certificate for ${name}`);
        return pair;
      },
      cleanup: () => fsp.rm(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    await fsp.rm(dir, { recursive: true, force: true });
    throw err;
  }
}
