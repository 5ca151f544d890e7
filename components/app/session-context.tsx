'use client';
import { createContext, useContext } from 'react';
import type { SessionContext } from '@/lib/auth/sessions';

// The live session as the browser sees it: everything but the row id.
export type ClientSession = Omit<SessionContext, 'sessionId'>;

const Ctx = createContext<ClientSession | null>(null);

export function SessionProvider({ value, children }: { value: ClientSession; children: React.ReactNode }) {
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): ClientSession {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
