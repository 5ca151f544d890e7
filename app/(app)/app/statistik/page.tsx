import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { StatsClient } from '@/components/stats/stats-client';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('stats');
  return { title: t('title') };
}

export default function StatisticsPage() {
  return <StatsClient />;
}
