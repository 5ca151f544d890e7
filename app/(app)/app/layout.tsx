import { requirePageSession } from '@/lib/server/page-session';
import { SessionProvider } from '@/components/app/session-context';
import { AppShell } from '@/components/app/app-shell';

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const s = await requirePageSession();
  const value = {
    userId: s.userId,
    orgId: s.orgId,
    deviceId: s.deviceId,
    role: s.role,
    userShortName: s.userShortName,
    orgShortName: s.orgShortName,
    orgName: s.orgName,
    plan: s.plan,
    deviceName: s.deviceName,
  };
  return (
    <SessionProvider value={value}>
      <AppShell>{children}</AppShell>
    </SessionProvider>
  );
}
