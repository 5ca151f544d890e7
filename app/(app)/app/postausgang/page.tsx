import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { getConfig } from '@/lib/core/config';
import { getDb } from '@/lib/db/client';
import { listOutbox } from '@/lib/messaging/outbox';
import { requirePageSession } from '@/lib/auth/page-session';
import { PageTitle } from '@/components/ui/card';

// The local outbox: in development and the embedded one-command start, mail
// is shown here instead of being sent, and only the signed-in organisation's
// own. A production deployment on PostgreSQL answers 404.
export default async function OutboxPage() {
  if (!getConfig().devOutbox) notFound();
  const session = await requirePageSession();
  const t = await getTranslations('outbox');
  const tm = await getTranslations('messaging');
  const format = await getFormatter();
  const messages = await listOutbox(await getDb(), { orgId: session.orgId, limit: 100 });
  return (
    <div>
      <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
      {messages.length === 0 && <p className="text-sm">{t('empty')}</p>}
      <ul className="space-y-4">
        {messages.map((m) => (
          <li key={m.id} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="outbox-message">
            <p className="text-xs text-slate-600">
              {format.dateTime(m.createdAt, { dateStyle: 'medium', timeStyle: 'short' })} · {tm(`channels.${m.channel}`)} · {t('to')}:{' '}
              {m.sealed ? tm('sealed') : m.recipient} · {t('status')}: {tm(`statuses.${m.status}`)}
            </p>
            {/* Patient messages are sealed under the server key: never shown, not even here. */}
            {m.sealed ? (
              <p className="mt-1 text-sm italic text-slate-600" data-testid="outbox-sealed">
                {tm('sealed')} – {tm('sealedHint')}
              </p>
            ) : (
              <>
                {m.subject && <h2 className="mt-1 font-semibold">{m.subject}</h2>}
                <pre className="mt-2 whitespace-pre-wrap font-sans text-sm">{m.bodyText}</pre>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
