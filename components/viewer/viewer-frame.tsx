import type { ReactNode } from 'react';

/** The viewer's box on a page: wider than the page's column (the window's width, up to 1800 px), nearly the window's height. */
export function ViewerFrame({ children, className = '' }: { children: ReactNode; className?: string }) {
  return <div className={`relative left-1/2 h-[calc(100dvh-6rem)] max-h-[1100px] min-h-[480px] w-[calc(100vw-2rem)] max-w-[1800px] -translate-x-1/2 ${className}`}>{children}</div>;
}
