import { hash, verify } from '@node-rs/argon2';

/**
 * Staff passwords: argon2id (memory-hard) with the library's defaults (19 MiB, 2 passes — the OWASP
 * minimum), which a Pi 4 verifies in about a tenth of a second.
 */
export const MIN_PASSWORD_LENGTH = 10;
export const hashPassword = (password: string) => hash(password);
export const verifyPassword = (passwordHash: string, password: string) => verify(passwordHash, password).catch(() => false);

// Verifying against this when the user does not exist keeps "no such user" as slow as "wrong password".
let dummy: Promise<string> | undefined;
export const dummyHash = () => (dummy ??= hash('not-a-real-password-just-for-timing'));
