import { describe, expect, it } from 'vitest';
import { colourLevel } from '../../../src/config/terminal.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe('colourLevel', () => {
  it('colours terminals only', () => {
    expect(colourLevel(tty, {})).toBe(1);
    expect(colourLevel(tty, { TERM: 'xterm-256color' })).toBe(2);
    expect(colourLevel(tty, { COLORTERM: 'truecolor' })).toBe(3);
    expect(colourLevel(pipe, {})).toBe(0);
    expect(colourLevel(tty, { TERM: 'dumb' })).toBe(0);
  });
  it('honours NO_COLOR and FORCE_COLOR (FORCE_COLOR wins)', () => {
    expect(colourLevel(tty, { NO_COLOR: '1' })).toBe(0);
    expect(colourLevel(tty, { NO_COLOR: '' })).toBe(1);
    expect(colourLevel(pipe, { FORCE_COLOR: '1' })).toBe(1);
    expect(colourLevel(pipe, { FORCE_COLOR: '' })).toBe(1);
    expect(colourLevel(tty, { FORCE_COLOR: '0' })).toBe(0);
    expect(colourLevel(pipe, { FORCE_COLOR: '3', NO_COLOR: '1' })).toBe(3);
  });
});
