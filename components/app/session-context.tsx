'use client';
import { createContext, useContext } from 'react';

export type ClientSession = {
  userId: string;
  orgId: string;
  deviceId: string;
  role: 'owner' | 'admin' | 'member';
  userShortName: string;
  orgShortName: string;
  orgName: string;
  plan: string;
  deviceName: string;
};

const Ctx = createContext<ClientSession | null>(null);

export function SessionProvider({ value, children }: { value: ClientSession; children: React.ReactNode }) {
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): ClientSession {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
