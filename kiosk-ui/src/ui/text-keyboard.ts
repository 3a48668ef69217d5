/**
 * The pure part of the on-screen keyboard: its layouts and how a key changes the text. Lengths are
 * counted in characters (code points), as the server's JSON Schema `maxLength` counts them, so what
 * the counter shows is what the server will accept.
 */
export type KeyboardMode = 'words' | 'letters' | 'digits';

/** Capital letters, as addresses are written here (3号楼B座): what the key shows is what it types. */
export const LETTER_ROWS: readonly string[][] = [[...'QWERTYUIOP'], [...'ASDFGHJKL'], [...'ZXCVBNM']];
export const DIGIT_ROWS: readonly string[][] = [[...'1234567890'], ['，', '。', '、', '？', '！', '-', '#'], []];

/** Reference codes: only the characters a code can have (no 0/O, no 1/I), in reading order. */
export function codeRows(alphabet: string): string[][] {
  const digits = [...alphabet].filter((c) => /\d/.test(c));
  const letters = [...alphabet].filter((c) => !/\d/.test(c));
  const half = Math.ceil(letters.length / 2);
  return [digits, letters.slice(0, half), letters.slice(half)];
}

/** Words into rows of `perRow`, in the given order. */
export function wordRows(words: readonly string[], perRow: number): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < words.length; i += perRow) rows.push(words.slice(i, i + perRow));
  return rows;
}

export const charCount = (text: string): number => Array.from(text).length;

/**
 * The text after a key (a letter, a digit, a word or ' '). A key that does not fit whole is refused
 * (a word is never cut in half); a space never starts the text nor follows another space.
 */
export function typeKey(value: string, key: string, maxLength: number): string {
  if (key === ' ' && (value === '' || value.endsWith(' '))) return value;
  if (charCount(value) + charCount(key) > maxLength) return value;
  return value + key;
}

/** The text without its last character (a whole character, never half of a surrogate pair). */
export function backspace(value: string): string {
  return Array.from(value).slice(0, -1).join('');
}

/** Whether another key of this length would still fit. */
export const fits = (value: string, key: string, maxLength: number): boolean => charCount(value) + charCount(key) <= maxLength;

/** The end of a long text, where the typing happens: the display shows the newest characters. */
export function tail(value: string, max: number): string {
  const chars = Array.from(value);
  return chars.length <= max ? value : `…${chars.slice(chars.length - max + 1).join('')}`;
}
