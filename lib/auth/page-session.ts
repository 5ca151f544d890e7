import 'server-only';
import { redirect } from 'next/navigation';
import { getDb } from '@/lib/db/client';
import { currentSession } from '@/lib/auth/route';

/** For server components behind login: the live session or a redirect to /login. */
export async function requirePageSession() {
  const db = await getDb();
  const session = await currentSession(db);
  if (!session) redirect('/login');
  return session;
}
