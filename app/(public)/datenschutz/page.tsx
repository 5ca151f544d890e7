import { getLocale, getTranslations } from 'next-intl/server';
import { LegalArticle } from '@/components/layout/legal-article';
import { PRIVACY_SECTIONS } from '@/lib/legal/patient';

export async function generateMetadata() {
  const t = await getTranslations('legal');
  return { title: t('privacyTitle') };
}

// Readable without login: patients join without an account.
export default async function PrivacyPage() {
  const t = await getTranslations('legal');
  const locale = (await getLocale()) === 'en' ? 'en' : 'de';
  return <LegalArticle title={t('privacyTitle')} lead={t('privacyLead')} sections={PRIVACY_SECTIONS[locale]} />;
}
