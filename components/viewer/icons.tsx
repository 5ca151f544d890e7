// Line icons for the viewer toolbar (24 × 24, stroke in currentColor).
const PATHS = {
  windowLevel: 'M12 3a9 9 0 1 0 0 18V3z M12 3a9 9 0 0 1 0 18',
  pan: 'M12 3v18 M3 12h18 M12 3l-3 3 M12 3l3 3 M12 21l-3-3 M12 21l3-3 M3 12l3-3 M3 12l3 3 M21 12l-3-3 M21 12l-3 3',
  zoom: 'M10.5 4a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13z M15.5 15.5 21 21 M10.5 7.5v6 M7.5 10.5h6',
  scroll: 'M7 4h10v16H7z M12 8v8 M9.5 10.5 12 8l2.5 2.5 M9.5 13.5 12 16l2.5-2.5',
  length: 'M4 20 20 4 M4 20l2-5 M4 20l5-2 M20 4l-5 2 M20 4l-2 5',
  angle: 'M4 20h16 M4 20 14 5 M9 20a5 5 0 0 0-2-4',
  rectangle: 'M4 6h16v12H4z',
  ellipse: 'M12 5c4.97 0 9 3.13 9 7s-4.03 7-9 7-9-3.13-9-7 4.03-7 9-7z',
  rotateTool: 'M20 12a8 8 0 1 1-2.34-5.66 M20 4v4h-4',
  zoomIn: 'M10.5 4a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13z M15.5 15.5 21 21 M10.5 7.5v6 M7.5 10.5h6',
  zoomOut: 'M10.5 4a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13z M15.5 15.5 21 21 M7.5 10.5h6',
  rotate: 'M4 12a8 8 0 1 0 2.34-5.66 M4 4v4h4',
  flipH: 'M12 3v18 M9 7 4 12l5 5V7z M15 7l5 5-5 5V7z',
  flipV: 'M3 12h18 M7 9l5-5 5 5H7z M7 15l5 5 5-5H7z',
  invert: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z M12 3v18 M12 7h4 M12 11h6 M12 15h5',
  reset: 'M4 4v6h6 M4.5 15a8 8 0 1 0 1.9-8.3L4 10',
  clear: 'M4 7h16 M9 7V4h6v3 M6 7l1 13h10l1-13',
  play: 'M7 4v16l13-8z',
  stop: 'M6 5h4v14H6z M14 5h4v14h-4z',
  tags: 'M4 5h16 M4 10h16 M4 15h10 M4 20h7',
  attachment: 'M15.5 6.5 8 14a2.12 2.12 0 0 0 3 3l8-8a4.24 4.24 0 0 0-6-6l-8 8a6.36 6.36 0 0 0 9 9l6-6',
  series: 'M4 4h7v7H4z M13 4h7v7h-7z M4 13h7v7H4z M13 13h7v7h-7z',
  layout1: 'M4 4h16v16H4z',
  layout2: 'M4 4h16v16H4z M12 4v16',
  layout4: 'M4 4h16v16H4z M12 4v16 M4 12h16',
  close: 'M6 6l12 12 M18 6 6 18',
  more: 'M5 12h.01 M12 12h.01 M19 12h.01',
  fullscreen: 'M4 9V4h5 M15 4h5v5 M20 15v5h-5 M9 20H4v-5',
  exitFullscreen: 'M9 4v5H4 M20 9h-5V4 M15 20v-5h5 M4 15h5v5',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, className = 'h-5 w-5' }: { name: IconName; className?: string }) {
  return (
    <svg viewBox="0 0 24 24" className={className} fill="none" stroke="currentColor" strokeWidth={1.6} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={PATHS[name]} />
    </svg>
  );
}
