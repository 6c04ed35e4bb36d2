// ASCII tables as etcdctl draws them with olekukonko/tablewriter v0.0.5:
// default borders, auto-formatted centred headers, right-aligned cells
// (etcdctl calls SetAlignment(ALIGN_RIGHT)) and cells wrapped at 30 columns.

const MAX_CELL_WIDTH = 30;
// Penalty tablewriter adds to a line that is longer than the wrap limit.
const OVERLONG_LINE_PENALTY = 100_000;
// tablewriter starts its cost table at math.MaxInt32 and only takes strictly smaller costs.
const UNREACHED_COST = 2 ** 31 - 1;

// Ranges with East Asian Width W or F (Unicode 13+) that Emoji_Presentation does not cover.
const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2329, 0x232a],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x1f200, 0x1f202],
  [0x1f210, 0x1f23b],
  [0x1f240, 0x1f248],
  [0x1f250, 0x1f251],
  [0x1f260, 0x1f265],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

// go-runewidth's "nonprint" runes beyond the C0/C1 controls; they take no cells.
const ZERO_WIDTH_FORMAT_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x070f, 0x070f],
  [0x180b, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x206a, 0x206f],
  [0xd800, 0xdfff],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
  [0xfffe, 0xffff],
];

// go-runewidth keeps these 1 wide although they sit inside wide-looking blocks.
const NARROW_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x27e6, 0x27ed],
  [0x2985, 0x2986],
];

// Built on first use (Unicode property classes cost ~0.5 ms each to create; ASCII never needs them).
let combiningMark: RegExp | undefined;
let emojiPresentation: RegExp | undefined;

/** Largest value, or `floor` when there is none (no spread, so long inputs cannot overflow the stack). */
function maxOf(values: readonly number[], floor: number): number {
  return values.reduce((largest, value) => Math.max(largest, value), floor);
}

function inRanges(codePoint: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
  return ranges.some(([first, last]) => codePoint >= first && codePoint <= last);
}

/** Terminal cells taken by one code point, following go-runewidth outside CJK locales. */
function codePointWidth(codePoint: number): number {
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f) || codePoint === 0xad) return 0;
  if (codePoint < 0x300 || inRanges(codePoint, NARROW_RANGES)) return 1;
  const char = String.fromCodePoint(codePoint);
  if (inRanges(codePoint, ZERO_WIDTH_FORMAT_RANGES) || (combiningMark ??= /^[\p{Mn}\p{Me}]$/u).test(char)) return 0;
  if (inRanges(codePoint, WIDE_RANGES) || (emojiPresentation ??= /^\p{Emoji_Presentation}$/u).test(char)) return 2;
  return 1;
}

// Created on first use: building a Segmenter loads ICU data (~10 ms), which most output never needs.
let graphemeSegmenter: Intl.Segmenter | undefined;
// Printable ASCII: one cell per character, no grapheme clusters to find.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * go-runewidth StringWidth: each grapheme cluster counts as wide as its first
 * code point of non-zero width, so combining marks and ZWJ sequences add nothing.
 */
export function stringWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { segment } of graphemeSegmenter.segment(text)) {
    for (const char of segment) {
      const charWidth = codePointWidth(char.codePointAt(0) ?? 0);
      if (charWidth > 0) {
        width += charWidth;
        break;
      }
    }
  }
  return width;
}

// tablewriter ignores SGR colour codes (and its regexp also accepts `|` as a terminator).
const ANSI_SEQUENCE = /\u001b\[(?:[0-9]{1,3}(?:;[0-9]{1,3})*)?[m|K]/g;

/** tablewriter's DisplayWidth: like stringWidth but ANSI colour codes take no space. */
function displayWidth(text: string): number {
  return stringWidth(text.replace(ANSI_SEQUENCE, ''));
}

/**
 * Splits words into lines with minimum raggedness (tablewriter's WrapWords):
 * every line but the last costs (limit - length)^2, plus a penalty when longer
 * than the limit; the last line is free when it fits. Ties keep the earliest break.
 */
function breakIntoLines(words: readonly string[], limit: number): string[][] {
  const count = words.length;
  // widthBefore[k] = total width of words[0..k-1], so any span costs O(1).
  const widthBefore = [0];
  for (const word of words) widthBefore.push((widthBefore[widthBefore.length - 1] ?? 0) + stringWidth(word));
  // Width of words[from..to] joined by single spaces.
  const spanWidth = (from: number, to: number): number =>
    (widthBefore[to + 1] ?? 0) - (widthBefore[from] ?? 0) + (to - from);

  const cost = new Array<number>(count).fill(UNREACHED_COST);
  const nextBreak = new Array<number>(count).fill(0);
  for (let start = count - 1; start >= 0; start--) {
    if (spanWidth(start, count - 1) <= limit) {
      cost[start] = 0;
      nextBreak[start] = count;
      continue;
    }
    for (let end = start + 1; end < count; end++) {
      const lineWidth = spanWidth(start, end - 1);
      const slack = limit - lineWidth;
      let candidate = slack * slack + (cost[end] ?? 0);
      if (lineWidth > limit) candidate += OVERLONG_LINE_PENALTY;
      if (candidate < (cost[start] ?? UNREACHED_COST)) {
        cost[start] = candidate;
        nextBreak[start] = end;
      }
    }
  }

  const lines: string[][] = [];
  for (let start = 0; start < count; ) {
    // Go would loop forever if no break was found; always make progress instead.
    const end = Math.max(nextBreak[start] ?? count, start + 1);
    lines.push(words.slice(start, end));
    start = end;
  }
  return lines;
}

/**
 * tablewriter's WrapString. Words are split on single spaces, so runs of
 * spaces produce empty words that survive into the output; the limit grows to
 * fit the widest word.
 */
export function wrapString(text: string, limit: number): string[] {
  const words = text.replaceAll('\n', ' ').split(' ');
  const effectiveLimit = maxOf(words.map(stringWidth), limit);
  return breakIntoLines(words, effectiveLimit).map((line) => line.join(' '));
}

interface WrappedCell {
  lines: string[];
  width: number;
}

/**
 * tablewriter's parseDimension with auto-wrap and reflow on: every cell is
 * re-flowed into one paragraph and wrapped to its own widest line, capped at 30.
 * The width it reports never drops below that cap-limited width.
 */
function wrapCell(text: string): WrappedCell {
  const rawLines = text.split('\n');
  const limit = Math.min(MAX_CELL_WIDTH, maxOf(rawLines.map(displayWidth), 0));
  const lines = wrapString(rawLines.join(' '), limit);
  const width = maxOf(lines.map(displayWidth), limit);
  return { lines, width };
}

const GO_WHITESPACE_EDGES = /^\p{White_Space}+|\p{White_Space}+$/gu;

/** Go's unicode.ToUpper maps rune by rune; it never expands one rune into several (ß stays ß). */
function goToUpper(text: string): string {
  let upper = '';
  for (const char of text) {
    const mapped = char.toUpperCase();
    upper += [...mapped].length === 1 ? mapped : char;
  }
  return upper;
}

function isDigitOrSpace(char: string): boolean {
  return char === ' ' || (char >= '0' && char <= '9');
}

/**
 * tablewriter's Title(): `_` becomes a space, `.` becomes a space unless every
 * neighbour it has is a digit or space (so "0.0" survives), then trim and upper-case.
 * Neighbours are read from the partly rewritten title, as tablewriter does:
 * in "a_.5" the `_` has already become a space when the `.` is examined.
 */
export function formatHeader(title: string): string {
  const chars = [...title];
  chars.forEach((char, index) => {
    if (char === '_') {
      chars[index] = ' ';
    } else if (char === '.') {
      const before = chars[index - 1];
      const after = chars[index + 1];
      if ((before !== undefined && !isDigitOrSpace(before)) || (after !== undefined && !isDigitOrSpace(after))) {
        chars[index] = ' ';
      }
    }
  });
  const trimmed = chars.join('').replace(GO_WHITESPACE_EDGES, '');
  // A title of only spaces keeps one, so multi-line headers keep their blank lines.
  return goToUpper(trimmed === '' && title !== '' ? ' ' : trimmed);
}

function padCentre(text: string, width: number): string {
  const gap = width - displayWidth(text);
  if (gap <= 0) return text;
  const left = Math.floor(gap / 2);
  return ' '.repeat(left) + text + ' '.repeat(gap - left);
}

function padLeft(text: string, width: number): string {
  const gap = width - displayWidth(text);
  return gap > 0 ? ' '.repeat(gap) + text : text;
}

/**
 * Renders a table the way etcdctl's `-w table` does. Rows may be shorter or
 * longer than the header; like tablewriter, a row prints only its own cells
 * while borders span every column seen.
 */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const columnWidths: number[] = [];
  const widen = (column: number, width: number): void => {
    columnWidths[column] = Math.max(columnWidths[column] ?? 0, width);
  };
  const wrapRow = (cells: readonly string[]): string[][] =>
    cells.map((cell, column) => {
      const wrapped = wrapCell(cell);
      widen(column, wrapped.width);
      return wrapped.lines;
    });

  const headerCells = wrapRow(header);
  const bodyRows = rows.map(wrapRow);
  const widths = Array.from(columnWidths, (width) => width ?? 0);
  const height = (cells: string[][]): number => maxOf(cells.map((lines) => lines.length), 0);

  const border = '+' + widths.map((width) => '-'.repeat(width + 2) + '+').join('') + '\n';
  let output = border;

  if (headerCells.length > 0) {
    for (let lineIndex = 0; lineIndex < height(headerCells); lineIndex++) {
      output += '|';
      widths.forEach((width, column) => {
        const text = formatHeader(headerCells[column]?.[lineIndex] ?? '');
        output += ' ' + padCentre(text, width) + ' |';
      });
      output += '\n';
    }
    output += border;
  }

  for (const cells of bodyRows) {
    for (let lineIndex = 0; lineIndex < height(cells); lineIndex++) {
      output += '|';
      cells.forEach((lines, column) => {
        // tablewriter fills the missing lines of shorter cells with two spaces.
        const text = lines[lineIndex] ?? '  ';
        output += ' ' + padLeft(text, widths[column] ?? 0) + ' |';
      });
      output += '\n';
    }
  }

  return output + border;
}
