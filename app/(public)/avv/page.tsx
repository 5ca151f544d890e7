import { getLocale, getTranslations } from 'next-intl/server';
import { AVV_VERSION } from '@/lib/accounts/schemas';
import { AVV_SECTIONS } from '@/lib/legal/avv';

export async function generateMetadata() {
  const t = await getTranslations('avv');
  return { title: t('title') };
}

// Readable without login: the registration links here before anyone has an account.
export default async function AvvPage() {
  const t = await getTranslations('avv');
  const locale = (await getLocale()) === 'en' ? 'en' : 'de';
  return (
    <article className="prose max-w-3xl">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <p className="text-sm text-slate-600">{t('version', { version: AVV_VERSION })}</p>
      {AVV_SECTIONS[locale].map((s) => (
        <section key={s.title} className="mt-6">
          <h2 className="text-lg font-semibold">{s.title}</h2>
          {s.paragraphs.map((p) => (
            <p key={p.slice(0, 40)} className="mt-2 text-sm leading-relaxed text-slate-800">
              {p}
            </p>
          ))}
        </section>
      ))}
    </article>
  );
}
