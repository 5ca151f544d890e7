import { requirePageSession } from '@/lib/auth/page-session';
import { SessionProvider } from '@/components/app/session-context';
import { AppShell } from '@/components/app/app-shell';
import { getConfig } from '@/lib/core/config';

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const { sessionId: _sessionId, ...value } = await requirePageSession();
  return (
    <SessionProvider value={value}>
      <AppShell devOutbox={getConfig().devOutbox}>{children}</AppShell>
    </SessionProvider>
  );
}
