/**
 * A mainland China mobile number as a resident types it on the keypad: checked digit by digit, so a
 * wrong first or second digit is named at once rather than after all eleven (KIOSK.md). Pure: the
 * words for each problem live with the screen that shows them. The server checks again
 * (src/core/phone.ts); this only spares the resident a round trip and a vague refusal.
 */
export const PHONE_DIGITS = 11;

/** Why what was typed cannot become a mobile number. */
export type PhoneProblem = 'not-digits' | 'first-digit' | 'second-digit' | 'too-long';

export type PhoneCheck =
  | { state: 'empty' }
  | { state: 'typing'; missing: number }
  | { state: 'complete' }
  | { state: 'wrong'; problem: PhoneProblem };

/** Where the digits typed so far stand against 1[3-9]xxxxxxxxx. */
export function checkPhone(typed: string): PhoneCheck {
  if (typed === '') return { state: 'empty' };
  if (!/^\d+$/.test(typed)) return { state: 'wrong', problem: 'not-digits' };
  if (typed[0] !== '1') return { state: 'wrong', problem: 'first-digit' };
  if (typed.length >= 2 && !/[3-9]/.test(typed[1] as string)) return { state: 'wrong', problem: 'second-digit' };
  if (typed.length > PHONE_DIGITS) return { state: 'wrong', problem: 'too-long' };
  if (typed.length < PHONE_DIGITS) return { state: 'typing', missing: PHONE_DIGITS - typed.length };
  return { state: 'complete' };
}

export const isMobile = (typed: string): boolean => checkPhone(typed).state === 'complete';

/** 13812345678 → 138****5678, as the server shows it: enough to recognise one's own number. */
export function maskPhone(phone: string): string {
  return isMobile(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}

/** 3-4-4 groups, as numbers are read aloud and printed in China: 138 1234 5678 (while typing too). */
export function groupPhone(typed: string): string {
  return [typed.slice(0, 3), typed.slice(3, 7), typed.slice(7)].filter(Boolean).join(' ');
}

/** The last four digits: what the server asks for, with the code, to cancel or check in. */
export const lastFour = (phone: string): string => phone.slice(-4);
