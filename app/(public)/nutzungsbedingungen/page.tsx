import { getLocale, getTranslations } from 'next-intl/server';
import { LegalArticle } from '@/components/layout/legal-article';
import { TERMS_SECTIONS } from '@/lib/legal/patient';

export async function generateMetadata() {
  const t = await getTranslations('legal');
  return { title: t('termsTitle') };
}

// Readable without login: patients join without an account.
export default async function TermsPage() {
  const t = await getTranslations('legal');
  const locale = (await getLocale()) === 'en' ? 'en' : 'de';
  return <LegalArticle title={t('termsTitle')} lead={t('termsLead')} sections={TERMS_SECTIONS[locale]} />;
}
