// Why a channel could not connect, phrased the way gRPC-Go words it in etcdctl's client warnings
// ("transport: authentication handshake failed: …"). etcdctl itself only says `context deadline
// exceeded`; the reason appears in its retry warning on stderr, and so it does in ours.

const VERIFY_FAILURES: [RegExp, string][] = [
  [/unable to verify the first certificate|unable to get local issuer certificate|self[- ]signed certificate/i, 'x509: certificate signed by unknown authority'],
  [/certificate has expired|certificate is not yet valid/i, 'x509: certificate has expired or is not yet valid'],
];

/** TLS alerts as Go's crypto/tls names them (`remote error: tls: <name>`). */
const ALERT_NAMES: Record<string, string> = {
  'certificate required': 'certificate required',
  'certificate expired': 'expired certificate',
  'unknown ca': 'unknown certificate authority',
  'bad certificate': 'bad certificate',
  'certificate revoked': 'revoked certificate',
  'certificate unknown': 'unknown certificate',
  'unsupported certificate': 'unsupported certificate',
  'handshake failure': 'handshake failure',
  'decrypt error': 'error decrypting message',
  'protocol version': 'protocol version not supported',
};

/**
 * The reason in grpc-js's "No connection established. Last error: <reason>. Resolution note: …"
 * as gRPC-Go's `connection error: desc = "<reason>"`; undefined when `details` has no reason.
 */
export function connectionFailureReason(details: string, target: string): string | undefined {
  const match = /Last error: ([\s\S]*?)(?:\. Resolution note:[\s\S]*)?$/.exec(details);
  const raw = match?.[1]?.trim();
  if (!raw) return undefined;
  const text = raw.replace(/^Error: /, '').replace(/\s*\(\d{4}-\d\d-\d\dT[^)]*\)$/, '');
  return `connection error: desc = ${JSON.stringify(goTransportError(text, target))}`;
}

function goTransportError(text: string, target: string): string {
  // Node refuses a port above 65535 when it connects; Go's dialer names the port as written.
  if (/ERR_SOCKET_BAD_PORT/.test(text)) return `transport: Error while dialing: dial tcp: address ${target.slice(target.lastIndexOf(':') + 1)}: invalid port`;
  if (/ECONNREFUSED/.test(text)) return `transport: Error while dialing: dial tcp ${target}: connect: connection refused`;
  if (/ETIMEDOUT|EHOSTUNREACH|ENETUNREACH/.test(text)) return `transport: Error while dialing: dial tcp ${target}: ${text}`;
  for (const [pattern, go] of VERIFY_FAILURES) {
    if (pattern.test(text)) return `transport: authentication handshake failed: tls: failed to verify certificate: ${go}`;
  }
  if (/Hostname\/IP does not match certificate's altnames/.test(text)) {
    return `transport: authentication handshake failed: tls: failed to verify certificate: ${hostnameMismatch(text)}`;
  }
  // A TLS client talking to a plaintext server, and a plaintext client talking to a TLS server.
  if (/socket disconnected before secure TLS connection/.test(text)) return 'transport: authentication handshake failed: EOF';
  if (text === 'Failed to connect') return 'error reading server preface: EOF';
  if (/wrong version number|packet length too long|unknown protocol/.test(text)) {
    return 'transport: authentication handshake failed: tls: first record does not look like a TLS handshake';
  }
  // OpenSSL (Node): "<hex>:error:<code>:SSL routines:<function>:tlsv13 alert certificate required:<file>:<line>:SSL alert number 116";
  // OpenSSL 3.5 (Node 26) says "ssl/tls alert certificate expired" for some; BoringSSL (bun, the
  // single-file executable): "error:<code>:SSL routines:OPENSSL_internal:TLSV1_ALERT_CERTIFICATE_REQUIRED".
  const alert = /(?:sslv3|tlsv1\d*|ssl\/tls)[ _]alert[ _]([a-z_ ]+?)(?::|$)/i.exec(text);
  if (alert) {
    const name = alert[1]!.toLowerCase().replace(/_/g, ' ');
    return `error reading server preface: remote error: tls: ${ALERT_NAMES[name] ?? name}`;
  }
  const openssl = /:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/.exec(text);
  return openssl ? `transport: authentication handshake failed: ${openssl[1]!}` : text;
}

/**
 * Node's "Hostname/IP does not match certificate's altnames: Host: a.test. is not in the cert's
 * altnames: IP Address:127.0.0.1, DNS:b.test" as Go's x509.HostnameError ("x509: certificate is
 * valid for b.test, not a.test"; the IP addresses when the name asked for is an address).
 */
function hostnameMismatch(text: string): string {
  const byName = /Host: (\S+?)\.? is not in the cert's altnames: (.*)$/.exec(text);
  if (byName) {
    const names = byName[2]!.split(', ').filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
    return names.length > 0
      ? `x509: certificate is valid for ${names.join(', ')}, not ${byName[1]!}`
      : `x509: certificate is not valid for any names, but wanted to match ${byName[1]!}`;
  }
  const byIp = /IP: (\S+) is not in the cert's list: ?(.*)$/.exec(text);
  if (byIp) {
    return byIp[2] ? `x509: certificate is valid for ${byIp[2].split(/,\s*/).join(', ')}, not ${byIp[1]!}` : `x509: cannot validate certificate for ${byIp[1]!} because it doesn't contain any IP SANs`;
  }
  return text.replace(/^Error \[[A-Z_]+\]: /, '');
}
