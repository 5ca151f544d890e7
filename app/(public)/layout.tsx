import { PublicFooter, PublicHeader } from '@/components/layout/public-header';

export default function PublicLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <PublicHeader />
      <main id="main" className="mx-auto max-w-6xl px-4 py-10">
        {children}
      </main>
      <PublicFooter />
    </>
  );
}
