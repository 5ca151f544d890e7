import { getTranslations } from 'next-intl/server';
import { Card, PageTitle } from '@/components/ui/card';
import { ConfirmEmail } from '@/components/auth/confirm-email';

export async function generateMetadata() {
  const t = await getTranslations('confirmEmail');
  return { title: t('title') };
}

// The link from the welcome mail: /bestaetigen#<token> (the token stays out of URLs the server logs).
export default async function ConfirmEmailPage() {
  const t = await getTranslations('confirmEmail');
  return (
    <div className="mx-auto max-w-lg">
      <PageTitle>{t('title')}</PageTitle>
      <Card>
        <ConfirmEmail />
      </Card>
    </div>
  );
}
