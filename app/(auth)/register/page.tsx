import { getTranslations } from 'next-intl/server';
import { RegisterWizard } from '@/components/register/register-wizard';

export async function generateMetadata() {
  const t = await getTranslations('register');
  return { title: t('title') };
}

export default function RegisterPage() {
  return <RegisterWizard />;
}
