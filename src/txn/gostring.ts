// The pieces of Go's string handling that txn input depends on besides quoting (src/go/quote.ts):
// strings.TrimSpace and fmt's notion of a space while scanning.

/** unicode.IsSpace, as strings.TrimSpace uses it (note: U+FEFF is not a space in Go). */
export function isGoUnicodeSpace(cp: number): boolean {
  return (
    (cp >= 0x09 && cp <= 0x0d) ||
    cp === 0x20 ||
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** fmt's scanner spaces (fmt/scan.go `space` table): the same set as unicode.IsSpace. */
export const isScanSpace = isGoUnicodeSpace;

/** strings.TrimSpace */
export function goTrimSpace(text: string): string {
  const cps = [...text];
  let start = 0;
  let end = cps.length;
  while (start < end && isGoUnicodeSpace(cps[start]!.codePointAt(0)!)) start++;
  while (end > start && isGoUnicodeSpace(cps[end - 1]!.codePointAt(0)!)) end--;
  return cps.slice(start, end).join('');
}
