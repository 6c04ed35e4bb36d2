// Bounded waits on conditions: tests order their steps by what they can observe (a key, a metric,
// a line on the screen), never by a fixed sleep, so they pass on a busy machine too. A fixed sleep
// is left only where time passing is itself the point (a TTL, "nothing more happens"), with a
// comment saying so.

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `check` every `stepMs` (default 100 ms) until it returns true; throws after `timeoutMs`
 * naming `what`, with what `state` reports then.
 */
export async function waitUntil(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean> | boolean,
  state?: () => Promise<string> | string,
  stepMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < timeoutMs / stepMs + 10; i++) {
    if (await check()) return;
    if (Date.now() > deadline) break;
    await sleep(stepMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${state ? `: ${await state()}` : ''}`);
}
