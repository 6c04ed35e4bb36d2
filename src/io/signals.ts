// SIGINT and SIGTERM the way etcdctl's lock and elect see them (Go's signal.Notify): while a
// command listens, the first of them no longer ends the process but cancels what the command is
// waiting for; later ones are swallowed until the command stops listening. Commands that do not
// listen (watch, for one) keep the default action: the process dies by the signal.
//
// The source of signals is the injected Io (io.onSignal), so tests raise them with
// createSignalSource() instead of signalling the test process.
import type { Io } from './types.js';

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

const INTERRUPTS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM'];

export interface Interrupt {
  /** Aborted on the first SIGINT or SIGTERM: pass it to calls the signal must cancel. */
  readonly signal: AbortSignal;
  /** Resolves with the first SIGINT or SIGTERM received. */
  readonly received: Promise<InterruptSignal>;
  /** Stops listening; the signals' default action applies again. */
  dispose(): void;
}

/** Starts listening for SIGINT and SIGTERM. Without io.onSignal nothing is ever received. */
export function listenForInterrupt(io: Pick<Io, 'onSignal'>): Interrupt {
  const controller = new AbortController();
  let resolveReceived!: (sig: InterruptSignal) => void;
  const received = new Promise<InterruptSignal>((resolve) => (resolveReceived = resolve));
  const unsubscribes = INTERRUPTS.map(
    (sig) =>
      io.onSignal?.(sig, () => {
        if (controller.signal.aborted) return;
        controller.abort();
        resolveReceived(sig);
      }) ?? (() => {}),
  );
  return {
    signal: controller.signal,
    received,
    dispose: () => {
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
    },
  };
}

/** A stand-in for the process's signals in tests: an `onSignal` for the Io, and `raise`. */
export interface SignalSource {
  onSignal(signal: InterruptSignal, handler: () => void): () => void;
  /** Delivers the signal to the current handlers; false when nobody listens (the process would die). */
  raise(signal: InterruptSignal): boolean;
  listenerCount(signal: InterruptSignal): number;
}

export function createSignalSource(): SignalSource {
  const handlers = new Map<InterruptSignal, Set<() => void>>(INTERRUPTS.map((s) => [s, new Set()]));
  return {
    onSignal: (signal, handler) => {
      const set = handlers.get(signal)!;
      // A wrapper per subscription, so the same function may subscribe twice.
      const entry = () => handler();
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    raise: (signal) => {
      const set = handlers.get(signal)!;
      for (const handler of [...set]) handler();
      return set.size > 0;
    },
    listenerCount: (signal) => handlers.get(signal)!.size,
  };
}
