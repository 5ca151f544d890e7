// Small icons of a conference room, as inline SVG: the emoji they replace
// render as empty boxes where no emoji font is installed.
import type { ReactNode } from 'react';

function Stroked({ className, children }: { className: string; children: ReactNode }) {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" className={className} aria-hidden>
      {children}
    </svg>
  );
}

/** A raised open hand. */
export const HandIcon = ({ className = 'h-3.5 w-3.5' }: { className?: string }) => (
  <Stroked className={className}>
    <path d="M18 11V6a2 2 0 0 0-4 0v5" />
    <path d="M14 10V4a2 2 0 0 0-4 0v6" />
    <path d="M10 10.5V6a2 2 0 0 0-4 0v8" />
    <path d="M18 8a2 2 0 1 1 4 0v6a8 8 0 0 1-8 8h-2c-2.8 0-4.5-.86-5.99-2.34l-3.6-3.6a2 2 0 0 1 2.83-2.82L7 15" />
  </Stroked>
);

/** A microphone struck through. */
export const MicOffIcon = ({ className = 'h-3.5 w-3.5' }: { className?: string }) => (
  <Stroked className={className}>
    <path d="M15 9.34V5a3 3 0 0 0-5.68-1.33" />
    <path d="M9 9v3a3 3 0 0 0 5.12 2.12" />
    <path d="M19 10v2a7 7 0 0 1-.78 3.22M16.95 16.95A7 7 0 0 1 5 12v-2" />
    <path d="M12 19v3" />
    <path d="m2 2 20 20" />
  </Stroked>
);
