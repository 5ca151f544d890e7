import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db/client';
import { listOutbox } from '@/lib/mail/outbox';
import { PublicHeader } from '@/components/layout/public-header';
import { currentSession } from '@/lib/auth/route';
import { redirect } from 'next/navigation';

export const dynamic = 'force-dynamic';

// Development and the embedded one-command start only: shows what would have
// been sent to the signed-in organisation. A production deployment on
// PostgreSQL answers 404.
export default async function DevOutboxPage() {
  if (!getConfig().devOutbox) notFound();
  const t = await getTranslations('outbox');
  const db = await getDb();
  // Even in development, only the signed-in organisation's own mail.
  const session = await currentSession(db);
  if (!session) redirect('/login');
  const messages = await listOutbox(db, { orgId: session.orgId, limit: 100 });
  return (
    <>
      <PublicHeader />
      <main id="main" className="mx-auto max-w-5xl px-4 py-8">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="mt-2 text-sm text-slate-600">{t('intro')}</p>
        {messages.length === 0 && <p className="mt-6 text-sm">{t('empty')}</p>}
        <ul className="mt-6 space-y-4">
          {messages.map((m) => (
            <li key={m.id} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <p className="text-xs text-slate-500">
                {m.createdAt.toISOString()} · {t('to')}: {m.recipient} · {t('status')}: {m.status}
              </p>
              <h2 className="mt-1 font-semibold">{m.subject}</h2>
              <pre className="mt-2 whitespace-pre-wrap font-sans text-sm">{m.bodyText}</pre>
            </li>
          ))}
        </ul>
      </main>
    </>
  );
}
