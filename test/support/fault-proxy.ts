// A TCP proxy on 127.0.0.1 in front of one etcd member's client port, for injecting the one fault
// that killing processes cannot produce on demand: a request that reached the server and was
// applied, whose answer never comes back because the connection breaks.
//
//   const proxy = await startFaultProxy(member.clientPort);
//   proxy.loseResponses = true;   // from now on: every gRPC request is forwarded, its answer is
//                                 // withheld, and the connection is reset `resetAfterMs` later
//   ... run a put against `proxy.endpoint` ...
//   await proxy.close();
//
// The proxy reads the client's HTTP/2 frames only to find where a request ends (the DATA frame
// with END_STREAM); the connection preface, SETTINGS, PINGs and the server's answers to them
// pass through untouched until then, so the client's channel becomes ready normally.
import net, { type AddressInfo } from 'node:net';

const PREFACE_LENGTH = 24; // "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
const FRAME_HEADER = 9;
const TYPE_DATA = 0x0;
const TYPE_HEADERS = 0x1;
const FLAG_END_STREAM = 0x1;

export interface FaultProxy {
  /** "127.0.0.1:P" */
  readonly endpoint: string;
  /** While true, requests are forwarded but their answers are lost and the connection is reset. */
  loseResponses: boolean;
  /** How long after a request was forwarded the connection is reset (default 300 ms: etcd applies it meanwhile). */
  resetAfterMs: number;
  /** Requests forwarded whose answers were withheld. */
  readonly lostResponses: number;
  close(): Promise<void>;
}

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  const sockets = new Set<net.Socket>();
  let lost = 0;
  const state = { loseResponses: false, resetAfterMs: 300 };

  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    const forget = () => {
      sockets.delete(client);
      sockets.delete(upstream);
    };
    let withholding = false;
    let pending = Buffer.alloc(0);
    let prefaceLeft = PREFACE_LENGTH;
    let requestStreams = new Set<number>();

    const cut = () => {
      // RST both ways: the client's call fails as on a crashed server.
      client.resetAndDestroy();
      upstream.resetAndDestroy();
      forget();
    };

    /** Scans complete client frames; returns true once a request (HEADERS … END_STREAM) is complete. */
    const requestCompleted = (chunk: Buffer): boolean => {
      pending = Buffer.concat([pending, chunk]);
      if (prefaceLeft > 0) {
        const skip = Math.min(prefaceLeft, pending.length);
        pending = pending.subarray(skip);
        prefaceLeft -= skip;
      }
      let done = false;
      while (pending.length >= FRAME_HEADER) {
        const length = pending.readUIntBE(0, 3);
        if (pending.length < FRAME_HEADER + length) break;
        const type = pending[3]!;
        const flags = pending[4]!;
        const stream = pending.readUInt32BE(5) & 0x7fffffff;
        if (type === TYPE_HEADERS && stream !== 0) requestStreams.add(stream);
        if ((type === TYPE_DATA || type === TYPE_HEADERS) && (flags & FLAG_END_STREAM) !== 0 && requestStreams.has(stream)) done = true;
        pending = pending.subarray(FRAME_HEADER + length);
      }
      return done;
    };

    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      const complete = requestCompleted(chunk);
      if (state.loseResponses && requestStreams.size > 0 && !withholding) withholding = true;
      if (withholding && complete) {
        lost++;
        setTimeout(cut, state.resetAfterMs);
        requestStreams = new Set();
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!withholding) client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      forget();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  const port = (server.address() as AddressInfo).port;

  return {
    endpoint: `127.0.0.1:${port}`,
    get loseResponses() {
      return state.loseResponses;
    },
    set loseResponses(v: boolean) {
      state.loseResponses = v;
    },
    get resetAfterMs() {
      return state.resetAfterMs;
    },
    set resetAfterMs(v: number) {
      state.resetAfterMs = v;
    },
    get lostResponses() {
      return lost;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        sockets.clear();
        server.close(() => resolve());
      }),
  };
}
