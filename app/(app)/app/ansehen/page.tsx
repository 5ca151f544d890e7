import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ViewFilesClient } from '@/components/viewer/view-files-client';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('viewFiles');
  return { title: t('title') };
}

export default function ViewFilesPage() {
  return <ViewFilesClient />;
}
