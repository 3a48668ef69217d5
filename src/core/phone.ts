/**
 * The only personal datum the lounge keeps (DESIGN.md §Health hours): a mainland mobile number.
 * It is validated here, shown only masked, and never logged (the logger redacts `phone` fields).
 */
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/** Accepts what a person types (spaces, dashes, a +86 prefix) and returns the 11 digits, or undefined. */
export function normalisePhone(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  return MAINLAND_MOBILE.test(digits) ? digits : undefined;
}

/** 13812341234 → 138****1234: enough for a person to recognise their own number, no more. */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}
