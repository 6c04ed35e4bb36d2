// output/push-stream.ts: what a body pushes, from timers or its own flow, comes out in order.
import { describe, expect, it } from 'vitest';
import { pushStream } from '../../../src/output/push-stream.js';

async function read<T>(stream: AsyncIterable<T>): Promise<{ items: T[]; error?: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of stream) items.push(item);
    return { items };
  } catch (error) {
    return { items, error };
  }
}

describe('pushStream', () => {
  it('yields pushes from the body and from callbacks in the order they were made', async () => {
    const stream = pushStream<string>(async (push) => {
      push('a');
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          push('b');
          resolve();
        }, 5),
      );
      push('c');
    });
    expect(await read(stream)).toEqual({ items: ['a', 'b', 'c'] });
  });

  it('ends with the body’s error after what it pushed before', async () => {
    const failure = new Error('boom');
    const stream = pushStream<number>(async (push) => {
      push(1);
      push(2);
      throw failure;
    });
    expect(await read(stream)).toEqual({ items: [1, 2], error: failure });
  });

  it('runs the body only when reading starts, and drops pushes after the end', async () => {
    let started = false;
    let late: ((n: number) => void) | undefined;
    const stream = pushStream<number>(async (push) => {
      started = true;
      late = push;
    });
    expect(started).toBe(false);
    expect(await read(stream)).toEqual({ items: [] });
    late!(5);
    expect(started).toBe(true);
  });

  it('stops taking pushes when the reader stops early; the body’s later error is not unhandled', async () => {
    let release: (() => void) | undefined;
    const stream = pushStream<number>(async (push) => {
      push(1);
      push(2);
      await new Promise<void>((resolve) => (release = resolve));
      push(3);
      throw new Error('after the reader left');
    });
    for await (const n of stream) {
      expect(n).toBe(1);
      break;
    }
    release!();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

  it('resolves a push once its item is written (the reader asked for the next) or dropped', async () => {
    const log: string[] = [];
    let late: Promise<void> | undefined;
    const stream = pushStream<string>(async (push) => {
      const a = push('a').then(() => log.push('a written'));
      const b = push('b').then(() => log.push('b written'));
      await Promise.all([a, b]);
      late = push('c');
      await new Promise<void>(() => {}); // the reader leaves first
    });
    const reader = stream[Symbol.asyncIterator]();
    expect((await reader.next()).value).toBe('a');
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Until the reader comes back for more, 'a' is being written.
    expect(log).toEqual([]);
    expect((await reader.next()).value).toBe('b');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log).toEqual(['a written']);
    expect((await reader.next()).value).toBe('c');
    expect(log).toEqual(['a written', 'b written']);
    // The reader stops while 'c' is out: its push resolves, as do pushes after the end.
    await reader.return!(undefined);
    await late;
  });
});
