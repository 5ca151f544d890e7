'use client';
// The only way the app includes the viewer: its own chunk (cornerstone, the
// codecs and their workers), loaded when a page first shows a study, never
// rendered on the server (it needs WebGL, workers and the browser's canvas).
import dynamic from 'next/dynamic';

export const LazyStudyViewer = dynamic(() => import('@/components/viewer/study-viewer'), {
  ssr: false,
  loading: () => <div className="flex h-full min-h-[420px] items-center justify-center rounded-md bg-neutral-950 text-sm text-neutral-400">…</div>,
});
