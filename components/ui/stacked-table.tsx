import Link from 'next/link';
import type { ReactNode } from 'react';
import { HeaderRow } from './table';

// A table on wide screens; on a phone each row is a card of labelled lines,
// so nothing scrolls sideways. One markup for both, switched by CSS.

export function StackedTable({ caption, headers, children, testId }: { caption: string; headers: string[]; children: ReactNode; testId?: string }) {
  return (
    <div className="lg:overflow-x-auto lg:rounded-lg lg:bg-white lg:shadow-sm lg:ring-1 lg:ring-slate-200">
      <table className="block w-full text-sm lg:table" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <HeaderRow headers={headers} className="hidden lg:table-header-group" />
        <tbody className="block space-y-3 lg:table-row-group lg:space-y-0 lg:divide-y lg:divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export function StackedRow({ refused = false, children, testId }: { refused?: boolean; children: ReactNode; testId?: string }) {
  const tone = refused ? 'bg-red-50 ring-red-300 lg:bg-red-50' : 'bg-white ring-slate-200 hover:bg-slate-50';
  return (
    <tr data-testid={testId} className={`relative block rounded-lg p-4 shadow-sm ring-1 lg:table-row lg:rounded-none lg:p-0 lg:shadow-none lg:ring-0 ${tone}`}>
      {children}
    </tr>
  );
}

export function Cell({ label, colSpan, children }: { label: string; colSpan?: number; children: ReactNode }) {
  return (
    <td colSpan={colSpan} className="block py-1 wrap-anywhere align-top lg:table-cell lg:px-4 lg:py-3">
      <span className="block text-xs font-medium text-slate-500 lg:hidden">{label}</span>
      {children}
    </td>
  );
}

/** The row's link to its item; it covers the whole row (or card), other links in the row sit above it. */
export function RowLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className="font-semibold text-brand-800 underline-offset-2 after:absolute after:inset-0 after:content-[''] hover:underline focus-visible:outline-2 focus-visible:outline-brand-600">
      {children}
    </Link>
  );
}
