import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ConferencesClient } from '@/components/conferences/conferences-client';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('conferences');
  return { title: t('title') };
}

export default function ConferencesPage() {
  return <ConferencesClient />;
}
