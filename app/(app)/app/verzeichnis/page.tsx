import { DirectoryClient } from '@/components/directory/directory-client';

export default async function DirectoryPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const { q } = await searchParams;
  return <DirectoryClient initialQuery={typeof q === 'string' ? q : ''} />;
}
