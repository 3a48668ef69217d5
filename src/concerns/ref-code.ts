import { randomInt } from 'node:crypto';

/**
 * The public reference code a resident keeps to follow a concern (and to rate it, once). Six
 * characters from 32 that cannot be mistaken for each other when read off a screen or a slip of
 * paper (no 0/O, no 1/I): about a billion codes, so guessing one at the kiosk's rate limit is
 * hopeless. The code is random, never derived from the id, and the public board never shows it.
 */
export const REF_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const REF_LENGTH = 6;
/** For route schemas: what a person might type, in either case. */
export const REF_PATTERN = `^[${REF_ALPHABET}${REF_ALPHABET.toLowerCase().replace(/[2-9]/g, '')}]{${REF_LENGTH}}$`;

export function newRefCode(random: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < REF_LENGTH; i++) code += REF_ALPHABET[random(REF_ALPHABET.length)];
  return code;
}

/** The stored form of what was typed: upper case. */
export const normaliseRef = (typed: string): string => typed.trim().toUpperCase();
