import { PublicFooter, PublicHeader } from '@/components/layout/public-header';

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <PublicHeader />
      <main id="main" className="mx-auto max-w-4xl px-4 py-8">
        {children}
      </main>
      <PublicFooter />
    </>
  );
}
