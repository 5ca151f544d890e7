import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

export default async function LandingPage() {
  const t = await getTranslations('landing');
  const points = [1, 2, 3] as const;
  return (
    <div>
      <section className="max-w-3xl">
        <h1 className="text-3xl font-semibold tracking-tight text-slate-900 sm:text-4xl">{t('title')}</h1>
        <p className="mt-4 text-lg text-slate-700">{t('lead')}</p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Link href="/register" className="rounded-md bg-brand-600 px-5 py-2.5 font-semibold text-white shadow-sm hover:bg-brand-700">
            {t('register')}
          </Link>
          <Link href="/login" className="rounded-md bg-white px-5 py-2.5 font-semibold text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50">
            {t('login')}
          </Link>
          <Link href="/recover" className="px-2 py-2.5 text-sm font-medium text-brand-700 underline">
            {t('recover')}
          </Link>
        </div>
      </section>
      <section className="mt-10 flex max-w-3xl flex-wrap items-center justify-between gap-4 rounded-lg bg-brand-50 p-5 ring-1 ring-brand-200">
        <div>
          <h2 className="font-semibold text-brand-900">{t('patientTitle')}</h2>
          <p className="mt-1 text-sm text-slate-700">{t('patientText')}</p>
        </div>
        <Link href="/join" className="rounded-md bg-brand-600 px-5 py-2.5 font-semibold text-white shadow-sm hover:bg-brand-700">
          {t('patientJoin')}
        </Link>
      </section>
      <section className="mt-14 grid gap-6 sm:grid-cols-3">
        {points.map((n) => (
          <div key={n} className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h2 className="font-semibold text-brand-900">{t(`point${n}Title`)}</h2>
            <p className="mt-2 text-sm text-slate-700">{t(`point${n}`)}</p>
          </div>
        ))}
      </section>
    </div>
  );
}
