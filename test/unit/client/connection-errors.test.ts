// grpc-js's last connection errors (as observed against etcd 3.5.16 with Node 20) turned into the
// reasons gRPC-Go gives in etcdctl's client warning.
import { describe, expect, it } from 'vitest';
import { connectionFailureReason } from '../../../src/client/connection-errors.js';

const grpcJs = (reason: string) => `No connection established. Last error: ${reason}. Resolution note: `;
const desc = (text: string) => `connection error: desc = ${JSON.stringify(text)}`;

describe('connectionFailureReason', () => {
  it.each([
    ['Error: unable to verify the first certificate', 'transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority'],
    ['Error: self-signed certificate in certificate chain', 'transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority'],
    [
      '802C427D397F0000:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 116\n (2026-11-22T04:29:06.043Z)',
      'error reading server preface: remote error: tls: certificate required',
    ],
    [
      '80ACC1246D7F0000:error:0A000415:SSL routines:ssl3_read_bytes:sslv3 alert certificate expired:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 45\n (2026-11-22T04:29:07.813Z)',
      'error reading server preface: remote error: tls: expired certificate',
    ],
    [
      '809C6F08367F0000:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 48\n (2026-11-22T04:29:09.612Z)',
      'error reading server preface: remote error: tls: unknown certificate authority',
    ],
    [
      '40B8E0C1EF7F0000:error:0A000415:SSL routines:ssl3_read_bytes:ssl/tls alert certificate expired:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:918:SSL alert number 45',
      'error reading server preface: remote error: tls: expired certificate',
    ],
    // BoringSSL's wording (bun: the single-file executable).
    ['error:1000045c:SSL routines:OPENSSL_internal:TLSV1_ALERT_CERTIFICATE_REQUIRED', 'error reading server preface: remote error: tls: certificate required'],
    ['error:10000415:SSL routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_EXPIRED', 'error reading server preface: remote error: tls: expired certificate'],
    ['error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA', 'error reading server preface: remote error: tls: unknown certificate authority'],
    ['Error: connect ECONNREFUSED 127.0.0.1:1', 'transport: Error while dialing: dial tcp 127.0.0.1:2379: connect: connection refused'],
    ['Client network socket disconnected before secure TLS connection was established', 'transport: authentication handshake failed: EOF'],
    ['Failed to connect', 'error reading server preface: EOF'],
    [
      "Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: Host: a.test. is not in the cert's altnames: IP Address:127.0.0.1, DNS:localhost, DNS:b.test",
      'transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate is valid for localhost, b.test, not a.test',
    ],
    [
      "Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: IP: 127.0.0.2 is not in the cert's list: 127.0.0.1",
      'transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate is valid for 127.0.0.1, not 127.0.0.2',
    ],
  ])('%s', (reason, expected) => {
    expect(connectionFailureReason(grpcJs(reason), '127.0.0.1:2379')).toBe(desc(expected));
  });

  it("a port Node refuses is named as Go's dialer names it, as written", () => {
    const reason = 'RangeError [ERR_SOCKET_BAD_PORT]: Port should be >= 0 and < 65536. Received type number (99999).';
    expect(connectionFailureReason(grpcJs(reason), '127.0.0.1:00099999')).toBe(desc('transport: Error while dialing: dial tcp: address 00099999: invalid port'));
    expect(connectionFailureReason(grpcJs(reason), '[::1]:70000')).toBe(desc('transport: Error while dialing: dial tcp: address 70000: invalid port'));
  });

  it('nothing without a reason', () => {
    expect(connectionFailureReason('Received RST_STREAM with code 0', '127.0.0.1:2379')).toBeUndefined();
  });
});
