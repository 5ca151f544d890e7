import Link from 'next/link';

export function Logo({ href = '/' }: { href?: string }) {
  return (
    <Link href={href} className="flex items-center gap-2 font-semibold text-brand-900">
      <svg viewBox="0 0 32 32" className="h-7 w-7" aria-hidden>
        <rect width="32" height="32" rx="7" fill="#176274" />
        <path d="M9 8v16M9 16l9-8M12.5 13.5 20 24" stroke="white" strokeWidth="3" fill="none" strokeLinecap="round" />
        <circle cx="24" cy="10" r="3" fill="#aed3dd" />
      </svg>
      <span className="text-lg tracking-tight">Konsil</span>
    </Link>
  );
}
