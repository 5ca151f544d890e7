import { getTranslations } from 'next-intl/server';
import { Card, PageTitle } from '@/components/ui/card';
import { RecoverForm } from '@/components/auth/recover-form';

export async function generateMetadata() {
  const t = await getTranslations('recover');
  return { title: t('title') };
}

export default async function RecoverPage() {
  const t = await getTranslations('recover');
  return (
    <div className="mx-auto max-w-md">
      <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
      <Card>
        <RecoverForm />
      </Card>
    </div>
  );
}
