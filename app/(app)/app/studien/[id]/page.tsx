import { notFound } from 'next/navigation';
import { StudyDetail } from '@/components/studies/detail/study-detail';

export default async function StudyPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/.test(id)) notFound();
  return <StudyDetail id={id} />;
}
