import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { StudiesClient } from '@/components/studies/list/studies-client';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('studyList');
  return { title: t('title') };
}

export default async function StudiesPage({ searchParams }: { searchParams: Promise<{ box?: string | string[] }> }) {
  const { box } = await searchParams;
  return <StudiesClient box={box === 'sent' ? 'sent' : 'inbox'} />;
}
