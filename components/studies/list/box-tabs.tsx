'use client';
import Link from 'next/link';
import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export type Box = 'inbox' | 'sent';

const BOXES: Box[] = ['inbox', 'sent'];
export const boxHref = (box: Box) => (box === 'sent' ? '/app/studien?box=sent' : '/app/studien');
const tabId = (box: Box) => `studies-tab-${box}`;

/**
 * Tabs that are links, so each box has its own address to share or bookmark.
 * Tab semantics with a roving focus: the arrow keys move between the tabs,
 * Enter follows one.
 */
export function BoxTabs({ box, labels, children }: { box: Box; labels: Record<Box, string>; children: ReactNode }) {
  const refs = useRef<Partial<Record<Box, HTMLAnchorElement | null>>>({});
  const onKeyDown = (e: KeyboardEvent<HTMLAnchorElement>, at: Box) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    const to = e.key === 'Home' ? BOXES[0] : e.key === 'End' ? BOXES[BOXES.length - 1] : step ? BOXES[(BOXES.indexOf(at) + step + BOXES.length) % BOXES.length] : null;
    if (!to) return;
    e.preventDefault();
    refs.current[to]?.focus();
  };
  return (
    <>
      <div role="tablist" className="flex gap-1 border-b border-slate-200 text-sm">
        {BOXES.map((b) => (
          <Link
            key={b}
            id={tabId(b)}
            ref={(el) => {
              refs.current[b] = el;
            }}
            href={boxHref(b)}
            role="tab"
            aria-selected={b === box}
            aria-controls={b === box ? `studies-panel-${b}` : undefined}
            tabIndex={b === box ? 0 : -1}
            onKeyDown={(e) => onKeyDown(e, b)}
            className={`-mb-px border-b-2 px-4 py-2 font-medium outline-none focus-visible:ring-2 focus-visible:ring-brand-500 ${b === box ? 'border-brand-600 text-brand-800' : 'border-transparent text-slate-600 hover:text-slate-900'}`}
          >
            {labels[b]}
          </Link>
        ))}
      </div>
      <div role="tabpanel" id={`studies-panel-${box}`} aria-labelledby={tabId(box)} className="pt-6">
        {children}
      </div>
    </>
  );
}
