// Output that comes from timers as well as from the work itself (check's progress frames drawn
// every 200 ms between its lines) as one ordered stream that main writes. An async generator
// can only yield from its own body, so the body gets a `push` instead and the items wait here,
// in order, until the reader takes them.
//
// Hand-written (about 40 lines) rather than @repeaterjs/repeater: its pushes beyond 1024 unread
// items throw unless a buffer that drops or limits them is chosen, and here nothing may be lost.

/**
 * Runs `body` when reading starts; yields what it pushes, in order, and ends when it returns or
 * throws (then, after the items pushed before, with its error). Pushes after the end or after
 * the reader stopped are dropped. A push resolves once its item is written (the reader asked for
 * the next) or dropped: a producer that must come after its output (watch's exec'd command)
 * waits for it.
 */
export function pushStream<T>(body: (push: (item: T) => Promise<void>) => Promise<void>): AsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      const items: { item: T; written: () => void }[] = [];
      let ended = false;
      let failure: { error: unknown } | undefined;
      let wake: (() => void) | undefined;
      const push = (item: T) =>
        new Promise<void>((written) => {
          if (ended) return written();
          items.push({ item, written });
          wake?.();
        });
      const work = body(push).then(
        () => undefined,
        (error: unknown) => {
          failure = { error };
        },
      );
      void work.finally(() => {
        ended = true;
        wake?.();
      });
      try {
        for (;;) {
          const next = items.shift();
          if (next) {
            try {
              yield next.item;
            } finally {
              next.written();
            }
            continue;
          }
          if (ended) break;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      } finally {
        ended = true;
        for (const dropped of items.splice(0)) dropped.written();
      }
      if (failure) throw failure.error;
    },
  };
}
