import { describe, it, expect } from 'vitest';
import { formatHeader, renderTable, stringWidth, wrapString } from '../../../src/output/table.js';

const lines = (...rows: string[]): string => rows.map((row) => row + '\n').join('');

describe('renderTable: tables observed from real etcdctl', () => {
  it('reproduces the wrapped error cell of the reference (etcdctl 3.4.23 endpoint health)', () => {
    const table = renderTable(
      ['endpoint', 'health', 'took', 'error'],
      [['127.0.0.1:23790', 'false', '', 'etcdserver: authentication failed, invalid user ID or password']],
    );
    expect(table).toBe(
      lines(
        '+-----------------+--------+------+--------------------------------+',
        '|    ENDPOINT     | HEALTH | TOOK |             ERROR              |',
        '+-----------------+--------+------+--------------------------------+',
        '| 127.0.0.1:23790 |  false |      |     etcdserver: authentication |',
        '|                 |        |      |     failed, invalid user ID or |',
        '|                 |        |      |                       password |',
        '+-----------------+--------+------+--------------------------------+',
      ),
    );
  });

  it('endpoint health (etcdctl 3.5.16): healthy and timed-out endpoints', () => {
    const header = ['endpoint', 'health', 'took', 'error'];
    expect(renderTable(header, [['127.0.0.1:59615', 'true', '2.065291ms', '']])).toBe(
      lines(
        '+-----------------+--------+------------+-------+',
        '|    ENDPOINT     | HEALTH |    TOOK    | ERROR |',
        '+-----------------+--------+------------+-------+',
        '| 127.0.0.1:59615 |   true | 2.065291ms |       |',
        '+-----------------+--------+------------+-------+',
      ),
    );
    expect(renderTable(header, [['127.0.0.1:59615', 'false', '5.000438442s', 'context deadline exceeded']])).toBe(
      lines(
        '+-----------------+--------+--------------+---------------------------+',
        '|    ENDPOINT     | HEALTH |     TOOK     |           ERROR           |',
        '+-----------------+--------+--------------+---------------------------+',
        '| 127.0.0.1:59615 |  false | 5.000438442s | context deadline exceeded |',
        '+-----------------+--------+--------------+---------------------------+',
      ),
    );
  });

  const statusHeader = [
    'endpoint',
    'ID',
    'version',
    'db size',
    'is leader',
    'is learner',
    'raft term',
    'raft index',
    'raft applied index',
    'errors',
  ];

  it('endpoint status (etcdctl 3.5.16) with one row', () => {
    const row = ['127.0.0.1:59615', 'ad3a47d845387c93', '3.5.16', '20 kB', 'true', 'false', '2', '4', '4', ''];
    expect(renderTable(statusHeader, [row])).toBe(
      lines(
        '+-----------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------+',
        '|    ENDPOINT     |        ID        | VERSION | DB SIZE | IS LEADER | IS LEARNER | RAFT TERM | RAFT INDEX | RAFT APPLIED INDEX | ERRORS |',
        '+-----------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------+',
        '| 127.0.0.1:59615 | ad3a47d845387c93 |  3.5.16 |   20 kB |      true |      false |         2 |          4 |                  4 |        |',
        '+-----------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------+',
      ),
    );
  });

  it('endpoint status (etcdctl 3.5.16) with zero rows: border, header, border, border', () => {
    expect(renderTable(statusHeader, [])).toBe(
      lines(
        '+----------+----+---------+---------+-----------+------------+-----------+------------+--------------------+--------+',
        '| ENDPOINT | ID | VERSION | DB SIZE | IS LEADER | IS LEARNER | RAFT TERM | RAFT INDEX | RAFT APPLIED INDEX | ERRORS |',
        '+----------+----+---------+---------+-----------+------------+-----------+------------+--------------------+--------+',
        '+----------+----+---------+---------+-----------+------------+-----------+------------+--------------------+--------+',
      ),
    );
  });

  it('member list (etcdctl 3.5.16): a multi-URL cell without spaces is never wrapped', () => {
    const table = renderTable(
      ['ID', 'Status', 'Name', 'Peer Addrs', 'Client Addrs', 'Is Learner'],
      [
        [
          'ad3a47d845387c93',
          'started',
          'node one_two.three with a fairly long name that wraps',
          'http://127.0.0.1:37841',
          'http://127.0.0.1:59615,http://127.0.0.1:59616,http://localhost:59615',
          'false',
        ],
      ],
    );
    expect(table).toBe(
      lines(
        '+------------------+---------+--------------------------------+------------------------+----------------------------------------------------------------------+------------+',
        '|        ID        | STATUS  |              NAME              |       PEER ADDRS       |                             CLIENT ADDRS                             | IS LEARNER |',
        '+------------------+---------+--------------------------------+------------------------+----------------------------------------------------------------------+------------+',
        '| ad3a47d845387c93 | started |      node one_two.three with a | http://127.0.0.1:37841 | http://127.0.0.1:59615,http://127.0.0.1:59616,http://localhost:59615 |      false |',
        '|                  |         |    fairly long name that wraps |                        |                                                                      |            |',
        '+------------------+---------+--------------------------------+------------------------+----------------------------------------------------------------------+------------+',
      ),
    );
  });
});

// Captured from etcdctl 3.5.16 `member list -w table` against an etcd started with `--name <name>`.
const observedMemberNames = [
  {
    description: 'observed wrap of a plain sentence',
    name: 'node one_two.three with a fairly long name that wraps',
    expected: [
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '|        ID        | STATUS  |              NAME              |       PEER ADDRS       |      CLIENT ADDRS      | IS LEARNER |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '| ad3a47d845387c93 | started |      node one_two.three with a | http://127.0.0.1:37841 | http://127.0.0.1:59615 |      false |',
      '|                  |         |    fairly long name that wraps |                        |                        |            |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
    ],
  },
  {
    description: 'runs of spaces become empty words that survive',
    name: 'a  b   c    d     e      f       g        h',
    expected: [
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '|        ID        | STATUS  |              NAME              |       PEER ADDRS       |      CLIENT ADDRS      | IS LEARNER |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '| ad3a47d845387c93 | started | a  b   c    d     e      f     | http://127.0.0.1:37841 | http://127.0.0.1:59615 |      false |',
      '|                  |         |                     g        h |                        |                        |            |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
    ],
  },
  {
    description: 'East Asian wide characters count two cells',
    name: '中文名字 非常长的名字 用于测试 宽字符 换行 行为',
    expected: [
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '|        ID        | STATUS  |              NAME              |       PEER ADDRS       |      CLIENT ADDRS      | IS LEARNER |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '| ad3a47d845387c93 | started | 中文名字 非常长的名字 用于测试 | http://127.0.0.1:37841 | http://127.0.0.1:59615 |      false |',
      '|                  |         |               宽字符 换行 行为 |                        |                        |            |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
    ],
  },
  {
    description: 'a word longer than 30 widens the column',
    name: 'short x averyveryveryverylongwordthatexceedsthirtychars y',
    expected: [
      '+------------------+---------+-------------------------------------------------+------------------------+------------------------+------------+',
      '|        ID        | STATUS  |                      NAME                       |       PEER ADDRS       |      CLIENT ADDRS      | IS LEARNER |',
      '+------------------+---------+-------------------------------------------------+------------------------+------------------------+------------+',
      '| ad3a47d845387c93 | started |                                         short x | http://127.0.0.1:37841 | http://127.0.0.1:59615 |      false |',
      '|                  |         | averyveryveryverylongwordthatexceedsthirtychars |                        |                        |            |',
      '|                  |         |                                               y |                        |                        |            |',
      '+------------------+---------+-------------------------------------------------+------------------------+------------------------+------------+',
    ],
  },
  {
    description: 'embedded newline is reflowed into one paragraph',
    name: 'line1\nline2 with more text here to wrap ok',
    expected: [
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '|        ID        | STATUS  |              NAME              |       PEER ADDRS       |      CLIENT ADDRS      | IS LEARNER |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '| ad3a47d845387c93 | started |     line1 line2 with more text | http://127.0.0.1:37841 | http://127.0.0.1:59615 |      false |',
      '|                  |         |                here to wrap ok |                        |                        |            |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
    ],
  },
  {
    description: 'short cell with a newline wraps at its own widest line',
    name: 'ab\ncd',
    expected: [
      '+------------------+---------+------+------------------------+------------------------+------------+',
      '|        ID        | STATUS  | NAME |       PEER ADDRS       |      CLIENT ADDRS      | IS LEARNER |',
      '+------------------+---------+------+------------------------+------------------------+------------+',
      '| ad3a47d845387c93 | started |   ab | http://127.0.0.1:37841 | http://127.0.0.1:59615 |      false |',
      '|                  |         |   cd |                        |                        |            |',
      '+------------------+---------+------+------------------------+------------------------+------------+',
    ],
  },
  {
    description: 'newline: limit is the widest raw line (3), not 30',
    name: 'a\nbcd',
    expected: [
      '+------------------+---------+------+------------------------+------------------------+------------+',
      '|        ID        | STATUS  | NAME |       PEER ADDRS       |      CLIENT ADDRS      | IS LEARNER |',
      '+------------------+---------+------+------------------------+------------------------+------------+',
      '| ad3a47d845387c93 | started |    a | http://127.0.0.1:37841 | http://127.0.0.1:59615 |      false |',
      '|                  |         |  bcd |                        |                        |            |',
      '+------------------+---------+------+------------------------+------------------------+------------+',
    ],
  },
  {
    description: 'leading/trailing spaces are empty words',
    name: ' leading and trailing spaces that are long enough ',
    expected: [
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '|        ID        | STATUS  |              NAME              |       PEER ADDRS       |      CLIENT ADDRS      | IS LEARNER |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '| ad3a47d845387c93 | started |    leading and trailing spaces | http://127.0.0.1:37841 | http://127.0.0.1:59615 |      false |',
      '|                  |         |          that are long enough  |                        |                        |            |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
    ],
  },
  {
    description: 'combining marks and a ZWJ family count as one cell each',
    name: 'e\u0301 combining e\u0301e\u0301 long enough to wrap \u{1f468}\u200d\u{1f469}\u200d\u{1f467} end',
    expected: [
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '|        ID        | STATUS  |              NAME              |       PEER ADDRS       |      CLIENT ADDRS      | IS LEARNER |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '| ad3a47d845387c93 | started |  é combining éé long enough to | http://127.0.0.1:37841 | http://127.0.0.1:59615 |      false |',
      '|                  |         |                    wrap 👨‍👩‍👧 end |                        |                        |            |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
    ],
  },
  {
    description: 'emoji and fullwidth letters are wide',
    name: 'emoji \u{1f600}\u{1f600} and fullwidth \uff21\uff22 mixed here',
    expected: [
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '|        ID        | STATUS  |              NAME              |       PEER ADDRS       |      CLIENT ADDRS      | IS LEARNER |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '| ad3a47d845387c93 | started |  emoji 😀😀 and fullwidth ＡＢ | http://127.0.0.1:37841 | http://127.0.0.1:59615 |      false |',
      '|                  |         |                     mixed here |                        |                        |            |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
    ],
  },
  {
    description: 'exactly 30 wide stays on one line',
    name: 'exactly thirty characters long',
    expected: [
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '|        ID        | STATUS  |              NAME              |       PEER ADDRS       |      CLIENT ADDRS      | IS LEARNER |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '| ad3a47d845387c93 | started | exactly thirty characters long | http://127.0.0.1:37841 | http://127.0.0.1:59615 |      false |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
    ],
  },
  {
    description: '31 wide wraps',
    name: 'exactly thirty-one characters x',
    expected: [
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '|        ID        | STATUS  |              NAME              |       PEER ADDRS       |      CLIENT ADDRS      | IS LEARNER |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '| ad3a47d845387c93 | started |  exactly thirty-one characters | http://127.0.0.1:37841 | http://127.0.0.1:59615 |      false |',
      '|                  |         |                              x |                        |                        |            |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
    ],
  },
  {
    description: 'three balanced lines',
    name: 'aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp',
    expected: [
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '|        ID        | STATUS  |              NAME              |       PEER ADDRS       |      CLIENT ADDRS      | IS LEARNER |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
      '| ad3a47d845387c93 | started |  aaaa bbbb cccc dddd eeee ffff | http://127.0.0.1:37841 | http://127.0.0.1:59615 |      false |',
      '|                  |         |  gggg hhhh iiii jjjj kkkk llll |                        |                        |            |',
      '|                  |         |            mmmm nnnn oooo pppp |                        |                        |            |',
      '+------------------+---------+--------------------------------+------------------------+------------------------+------------+',
    ],
  },
];

describe('renderTable: wrapping of member names observed from etcdctl 3.5.16', () => {
  it.each(observedMemberNames)('$description', ({ name, expected }) => {
    const table = renderTable(
      ['ID', 'Status', 'Name', 'Peer Addrs', 'Client Addrs', 'Is Learner'],
      [['ad3a47d845387c93', 'started', name, 'http://127.0.0.1:37841', 'http://127.0.0.1:59615', 'false']],
    );
    expect(table).toBe(lines(...expected));
  });
});

describe('renderTable: structure', () => {
  it('right-aligns data, centres headers with the extra space on the right', () => {
    expect(renderTable(['ab', 'c'], [['x', 'long value']])).toBe(
      lines(
        '+----+------------+',
        '| AB |     C      |',
        '+----+------------+',
        '|  x | long value |',
        '+----+------------+',
      ),
    );
  });

  it('prints several rows without separators, each cell padded to its column', () => {
    expect(renderTable(['k', 'v'], [['a', '1'], ['bbb', '22'], ['', '']])).toBe(
      lines(
        '+-----+----+',
        '|  K  | V  |',
        '+-----+----+',
        '|   a |  1 |',
        '| bbb | 22 |',
        '|     |    |',
        '+-----+----+',
      ),
    );
  });

  it('gives an all-empty column width 0', () => {
    expect(renderTable([''], [['']])).toBe(lines('+--+', '|  |', '+--+', '|  |', '+--+'));
  });

  it('fills missing lines of short cells with two spaces, which overflow a 1-wide column', () => {
    expect(renderTable(['a', 'b'], [['x', 'aaaa bbbb cccc dddd eeee ffff gggg']])).toBe(
      lines(
        '+---+--------------------------------+',
        '| A |               B                |',
        '+---+--------------------------------+',
        '| x |  aaaa bbbb cccc dddd eeee ffff |',
        '|    |                           gggg |',
        '+---+--------------------------------+',
      ),
    );
  });

  it('wraps and formats long headers line by line', () => {
    expect(renderTable(['first_part second_part third_part fourth'], [['v']])).toBe(
      lines(
        '+--------------------------------+',
        '|     FIRST PART SECOND PART     |',
        '|       THIRD PART FOURTH        |',
        '+--------------------------------+',
        '|                              v |',
        '+--------------------------------+',
      ),
    );
  });

  it('pads a header cell with fewer lines with blank lines', () => {
    expect(renderTable(['one two three four five six seven', 'x'], [])).toBe(
      lines(
        '+--------------------------------+---+',
        '|  ONE TWO THREE FOUR FIVE SIX   | X |',
        '|             SEVEN              |   |',
        '+--------------------------------+---+',
        '+--------------------------------+---+',
      ),
    );
  });

  it('measures header width before formatting, so trimmed characters still widen the column', () => {
    expect(renderTable(['_id_'], [])).toBe(lines('+------+', '|  ID  |', '+------+', '+------+'));
  });

  it('prints only the cells a short row has; borders still span all columns', () => {
    expect(renderTable(['a', 'b', 'c'], [['1']])).toBe(
      lines('+---+---+---+', '| A | B | C |', '+---+---+---+', '| 1 |', '+---+---+---+'),
    );
  });

  it('widens the table for rows longer than the header, with blank header cells', () => {
    expect(renderTable(['a'], [['1', '22']])).toBe(lines('+---+----+', '| A |    |', '+---+----+', '| 1 | 22 |', '+---+----+'));
  });

  it('omits the header block entirely when there is no header', () => {
    expect(renderTable([], [['x']])).toBe(lines('+---+', '| x |', '+---+'));
  });

  it('ignores ANSI colour codes when padding', () => {
    expect(renderTable(['c'], [['\u001b[31mred\u001b[0m']])).toBe(
      lines('+-----+', '|  C  |', '+-----+', '| \u001b[31mred\u001b[0m |', '+-----+'),
    );
  });
});

describe('formatHeader (tablewriter Title)', () => {
  it.each([
    ['raft applied index', 'RAFT APPLIED INDEX'],
    ['Peer Addrs', 'PEER ADDRS'],
    ['db_size', 'DB SIZE'],
    ['a.b', 'A B'],
    ['version 3.5', 'VERSION 3.5'],
    ['1.2', '1.2'],
    ['.5', '.5'],
    ['5.', '5.'],
    ['v.1', 'V 1'],
    ['1.x', '1 X'],
    ['1 . 2', '1 . 2'],
    // Neighbours are read after earlier rewrites: the `_` is already a space here.
    ['a_.5', 'A .5'],
    ['1..2', '1 .2'],
    ['  padded  ', 'PADDED'],
    ['_', ' '],
    ['\u00a0x\u3000', 'X'],
    ['', ''],
    // Go upper-cases rune by rune and never expands ß to SS.
    ['straße', 'STRAßE'],
    ['é', 'É'],
  ])('%j -> %j', (title, expected) => {
    expect(formatHeader(title)).toBe(expected);
  });
});

describe('wrapString (tablewriter WrapString)', () => {
  it.each<[string, number, string[]]>([
    ['', 0, ['']],
    ['one', 30, ['one']],
    ['aaa bb cc ddddd', 15, ['aaa bb cc ddddd']],
    // The limit grows to the widest word.
    ['a bbbbbbbb c', 4, ['a', 'bbbbbbbb', 'c']],
    // Repeated spaces make empty words, which are kept and take up width.
    ['a  b', 2, ['a ', 'b']],
    ['a  b', 1, ['a', '', 'b']],
    ['a\nb c', 3, ['a b', 'c']],
    // Minimum raggedness, not greedy: greedy would fill "aaa bb" first (cost 16 instead of 10).
    ['aaa bb cc dddddd', 6, ['aaa', 'bb cc', 'dddddd']],
    // The last line is free, so filling the first line exactly wins.
    ['aa bb cc', 5, ['aa bb', 'cc']],
    // "a" / "a a" and "a a" / "a" both cost 10: the earliest break wins.
    ['a a a dddd', 4, ['a', 'a a', 'dddd']],
    // Line widths include the separating spaces: "aaaa b c" is 8 and would overflow.
    ['aaaa b c dddd', 7, ['aaaa b', 'c dddd']],
  ])('%j at %i', (text, limit, expected) => {
    expect(wrapString(text, limit)).toEqual(expected);
  });
});

describe('stringWidth (go-runewidth)', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 1],
    ['e\u0301', 1],
    ['中文', 4],
    ['ＡＢ', 4],
    ['ｱ', 1],
    ['😀', 2],
    ['\u{1f468}\u200d\u{1f469}\u200d\u{1f467}', 2],
    ['\u00ad', 0],
    ['\u200b', 0],
    ['a\tb', 2],
    ['\u0085', 0],
    ['한국어', 6],
    ['\u3000', 2],
  ])('%j is %i cells', (text, width) => {
    expect(stringWidth(text)).toBe(width);
  });
});
