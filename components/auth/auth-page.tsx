import type { ReactNode } from 'react';
import { getTranslations } from 'next-intl/server';
import { Card, PageTitle } from '@/components/ui/card';

type Namespace = 'login' | 'recover' | 'invite' | 'confirmEmail';

/** The page title from the namespace's "title", for generateMetadata. */
export const authMetadata = (ns: Namespace) => async () => ({ title: (await getTranslations(ns))('title') });

/** A sign-in page: its title (and intro, where it has one) above one card holding the form. */
export async function AuthPage({ ns, intro = false, wide = false, children }: { ns: Namespace; intro?: boolean; wide?: boolean; children: ReactNode }) {
  const t = await getTranslations(ns);
  return (
    <div className={`mx-auto ${wide ? 'max-w-lg' : 'max-w-md'}`}>
      <PageTitle intro={intro ? t('intro') : undefined}>{t('title')}</PageTitle>
      <Card>{children}</Card>
    </div>
  );
}
