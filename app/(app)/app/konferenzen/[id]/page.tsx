import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { MemberConference } from '@/components/conferences/member-conference';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('conferences');
  return { title: t('title') };
}

export default async function ConferencePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <MemberConference id={id} />;
}
