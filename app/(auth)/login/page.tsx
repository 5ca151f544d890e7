import { getTranslations } from 'next-intl/server';
import { Card, PageTitle } from '@/components/ui/card';
import { LoginForm } from '@/components/auth/login-form';

export async function generateMetadata() {
  const t = await getTranslations('login');
  return { title: t('title') };
}

export default async function LoginPage() {
  const t = await getTranslations('login');
  return (
    <div className="mx-auto max-w-md">
      <PageTitle intro={t('intro')}>{t('title')}</PageTitle>
      <Card>
        <LoginForm />
      </Card>
    </div>
  );
}
