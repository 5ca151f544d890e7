import { PartnerClient } from '@/components/directory/partner-client';

export default async function PartnerPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ q?: string | string[] }> }) {
  const [{ id }, { q }] = await Promise.all([params, searchParams]);
  // The search that led here, so "back" returns to its results.
  return <PartnerClient id={id} query={typeof q === 'string' ? q : ''} />;
}
