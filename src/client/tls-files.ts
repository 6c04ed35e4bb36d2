// Loads --cert/--key/--cacert the way etcd's transport.TLSInfo.ClientConfig does (Go's
// tls.X509KeyPair and x509 parsing), so a bad file fails before any connection with Go's text.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface PemBlock {
  type: string;
  der: Buffer;
}

/** The PEM blocks of a file in order (encoding/pem's Decode loop; undecodable blocks are skipped). */
export function pemBlocks(data: Buffer): PemBlock[] {
  const text = data.toString('latin1');
  const blocks: PemBlock[] = [];
  const re = /(?:^|\n)-----BEGIN ([^\n]*?)-----[ \t]*\r?\n([\s\S]*?)(?:\r?\n)?-----END \1-----/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const body = m[2]!.split(/\r?\n/).filter((l) => !l.includes(':'));
    const b64 = body.join('').replace(/[ \t\r]/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) continue;
    blocks.push({ type: m[1]!, der: Buffer.from(b64, 'base64') });
  }
  return blocks;
}

/** Reads a TLS file; the error text is Go's os.ReadFile one. */
export function readTlsFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    // Go opens a directory fine and fails on the read.
    if (e.code === 'EISDIR') throw new TlsFileError(`read ${path}: is a directory`);
    const why =
      e.code === 'ENOENT'
        ? 'no such file or directory'
        : e.code === 'EACCES'
          ? 'permission denied'
          : e.message;
    throw new TlsFileError(`open ${path}: ${why}`);
  }
}

/** A TLS configuration error, phrased as Go prints it (etcdctl exits 128 with it). */
export class TlsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TlsFileError';
  }
}

/** DER tag and the span of the first element (definite lengths only). */
function derElement(der: Buffer, offset: number): { tag: number; start: number; end: number } | undefined {
  if (offset + 2 > der.length) return undefined;
  const tag = der[offset]!;
  let len = der[offset + 1]!;
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > der.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i]!;
    start += n;
  }
  if (start + len > der.length) return undefined;
  return { tag, start, end: start + len };
}

/** x509.ParseCertificate, with the two error texts its first checks produce. */
export function parseCertificate(der: Buffer): X509Certificate {
  const outer = derElement(der, 0);
  if (!outer || outer.tag !== 0x30) throw new TlsFileError('x509: malformed certificate');
  const tbs = derElement(der, outer.start);
  if (!tbs || tbs.tag !== 0x30) throw new TlsFileError('x509: malformed tbs certificate');
  try {
    return new X509Certificate(der);
  } catch {
    throw new TlsFileError('x509: malformed certificate');
  }
}

function parsePrivateKey(der: Buffer): KeyObject {
  for (const type of ['pkcs1', 'pkcs8', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      // try the next encoding, as Go's parsePrivateKey does
    }
  }
  throw new TlsFileError('tls: failed to parse private key');
}

const goList = (items: string[]) => `[${items.join(' ')}]`;

/** tls.X509KeyPair's checks and messages; returns the PEM texts grpc-js needs. */
export function loadKeyPair(certFile: string, keyFile: string): { cert: Buffer; key: Buffer } {
  const certPem = readTlsFile(certFile);
  const keyPem = readTlsFile(keyFile);

  const certBlocks = pemBlocks(certPem);
  const certs = certBlocks.filter((b) => b.type === 'CERTIFICATE');
  if (certs.length === 0) {
    const skipped = certBlocks.map((b) => b.type);
    if (skipped.length === 0) throw new TlsFileError('tls: failed to find any PEM data in certificate input');
    if (skipped.length === 1 && skipped[0]!.endsWith('PRIVATE KEY')) {
      throw new TlsFileError('tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched');
    }
    throw new TlsFileError(`tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: ${goList(skipped)}`);
  }

  const skippedKeys: string[] = [];
  let keyBlock: PemBlock | undefined;
  for (const b of pemBlocks(keyPem)) {
    if (b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY')) {
      keyBlock = b;
      break;
    }
    skippedKeys.push(b.type);
  }
  if (!keyBlock) {
    if (skippedKeys.length === 0) throw new TlsFileError('tls: failed to find any PEM data in key input');
    if (skippedKeys.length === 1 && skippedKeys[0] === 'CERTIFICATE') {
      throw new TlsFileError('tls: found a certificate rather than a key in the PEM for the private key');
    }
    throw new TlsFileError(`tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: ${goList(skippedKeys)}`);
  }

  const x509 = parseCertificate(certs[0]!.der);
  const key = parsePrivateKey(keyBlock.der);
  if (x509.publicKey.asymmetricKeyType !== key.asymmetricKeyType) {
    throw new TlsFileError('tls: private key type does not match public key type');
  }
  if (!x509.checkPrivateKey(key)) throw new TlsFileError('tls: private key does not match public key');
  return { cert: certPem, key: keyPem };
}

/** tlsutil.NewCertPool: every PEM block must be a certificate; a file without blocks gives an empty pool. */
export function loadCaBundle(caFile: string): Buffer | null {
  const pem = readTlsFile(caFile);
  const blocks = pemBlocks(pem);
  for (const b of blocks) parseCertificate(b.der);
  return blocks.length > 0 ? pem : null;
}
