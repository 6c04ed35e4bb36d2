// etcdctl's argify: splits a txn request line into words the way `put`/`get`/`del` would get
// them on a command line.
//
// Words are, left to right: a double-quoted Go string literal (escapes allowed), a single-quoted
// string (taken literally), or a run of non-space characters that does not start with a quote.
// A quote that opens nothing (`put "abc v`) is skipped. Single quotes follow etcdctl 3.5.28+,
// which strips exactly the two quotes; 3.5.0–3.5.27 (and so 3.5.16) cut the text to a length
// that depends on the number of words on the line, or crash.
import { CtlError, ExitCode } from '../common/errors.js';
import { tokenOfBytes } from '../common/byte-strings.js';
import { GoSyntaxError, goUnquoteDouble } from '../go/quote.js';

// Go's RE2 classes spelled out: \s is [\t\n\f\r ] and `.` is any character but \n.
const WORD = /"(?:[^"\\\n]|\\[^\n])*"|'[^']*'|[^'"\t\n\f\r ][^\t\n\f\r ]*/gu;

/**
 * Splits a line into words. A double-quoted word with a bad escape is etcdctl's
 * `invalid syntax` error (exit 3). Words from escapes that are not UTF-8 keep their bytes
 * (see tokenOfBytes).
 */
export function tokenize(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(WORD)) {
    const word = match[0];
    if (word.startsWith("'")) {
      words.push(word.slice(1, -1));
    } else if (word.startsWith('"')) {
      try {
        words.push(tokenOfBytes(goUnquoteDouble(word)));
      } catch (err) {
        if (err instanceof GoSyntaxError) throw new CtlError(ExitCode.InvalidInput, err.message);
        throw err;
      }
    } else {
      words.push(word);
    }
  }
  return words;
}
