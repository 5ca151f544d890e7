import { getTranslations } from 'next-intl/server';
import { JoinClient } from '@/components/video/join-client';

export async function generateMetadata() {
  const t = await getTranslations('join');
  return { title: t('title') };
}

// The patient's way in: no account, the access code comes from the URL
// fragment (#CODE) or is typed in. Nothing of the code reaches the server.
export default function JoinPage() {
  return <JoinClient />;
}
