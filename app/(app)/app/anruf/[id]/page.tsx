import { ColleagueCallClient } from '@/components/colleague-calls/colleague-call-client';

export default async function ColleagueCallPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ColleagueCallClient id={id} />;
}
