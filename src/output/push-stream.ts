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
 * the reader stopped are dropped.
 */
export function pushStream<T>(body: (push: (item: T) => void) => Promise<void>): AsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      const items: T[] = [];
      let ended = false;
      let failure: { error: unknown } | undefined;
      let wake: (() => void) | undefined;
      const push = (item: T) => {
        if (ended) return;
        items.push(item);
        wake?.();
      };
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
          if (items.length > 0) {
            yield items.shift()!;
            continue;
          }
          if (ended) break;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      } finally {
        ended = true;
      }
      if (failure) throw failure.error;
    },
  };
}
