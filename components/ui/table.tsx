import type { ReactNode } from 'react';

/** A card-framed table with a header row; rows come from the caller. */
export function DataTable({ headers, children, testId }: { headers: string[]; children: ReactNode; testId?: string }) {
  return (
    <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid={testId}>
        <HeaderRow headers={headers} />
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

/** The column headers of a table (also of the stacked table, where a phone hides them). */
export function HeaderRow({ headers, className = '' }: { headers: string[]; className?: string }) {
  return (
    <thead className={`bg-slate-50 text-left ${className}`}>
      <tr>
        {headers.map((h) => (
          <th key={h} scope="col" className="px-4 py-2 font-semibold">
            {h}
          </th>
        ))}
      </tr>
    </thead>
  );
}
