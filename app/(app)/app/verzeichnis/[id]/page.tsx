import { PartnerClient } from '@/components/directory/partner-client';

export default async function PartnerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <PartnerClient id={id} />;
}
