/** A broker user with Node-RED's role, for tests that read what only Node-RED may receive. */
export const NODERED_PASSWORD = 'node-red-password-1';

export async function noderedUser(): Promise<{ username: string; passwordHash: string; role: 'nodered' }> {
  const { hash } = await import('@node-rs/argon2');
  return { username: 'node-red', passwordHash: await hash(NODERED_PASSWORD), role: 'nodered' };
}

export const noderedLogin = { username: 'node-red', password: NODERED_PASSWORD };
