import { get, post } from './http.js';

/** Staff login and session (src/staff/staff-module.ts). The session is an HttpOnly cookie. */
export type Role = 'admin' | 'staff' | 'committee';

export interface StaffUser {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
}

export async function login(username: string, password: string): Promise<StaffUser> {
  return (await post<{ user: StaffUser }>('/api/staff/login', { username, password })).user;
}

export async function logout(): Promise<void> {
  await post('/api/staff/logout', {});
}

/** Who is logged in; a 401 (AdminApiError) when nobody is. */
export async function me(signal?: AbortSignal): Promise<StaffUser> {
  return (await get<{ user: StaffUser }>('/api/staff/me', signal)).user;
}
