import { getTranslations } from 'next-intl/server';
import { Card, PageTitle } from '@/components/ui/card';
import { InviteForm } from '@/components/auth/invite-form';

export async function generateMetadata() {
  const t = await getTranslations('invite');
  return { title: t('title') };
}

export default async function InvitePage() {
  const t = await getTranslations('invite');
  return (
    <div className="mx-auto max-w-lg">
      <PageTitle>{t('title')}</PageTitle>
      <Card>
        <InviteForm />
      </Card>
    </div>
  );
}
