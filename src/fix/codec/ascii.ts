// Byte values the codec compares against. FIX is an ASCII protocol: every structural decision is made on
// these few bytes, so they live in one place instead of as magic numbers in every scanner.

export const SOH = 0x01;
export const EQUALS = 0x3d; // '='
export const MINUS = 0x2d; // '-'
export const PLUS = 0x2b; // '+'
export const DOT = 0x2e; // '.'
export const COLON = 0x3a; // ':'
export const DIGIT_0 = 0x30;
export const DIGIT_9 = 0x39;
export const CHAR_Y = 0x59;
export const CHAR_N = 0x4e;
export const CHAR_8 = 0x38;
export const CHAR_1 = 0x31;
export const SPACE = 0x20;

/** True for '0'..'9'. */
export function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}
