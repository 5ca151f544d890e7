// Files a user picks on their own computer (a folder, a CD, single files),
// grouped into what the viewer shows (pure): series in series-number order,
// images within a series by instance number, PDF and JPEG beside them, and
// what was left out with the reason. Reuses the sender's header check and
// summary, so the viewer and the upload agree about what a file is.
import { summarise, type Summary } from '@/lib/dicom/summary';
import { inspect, type Inspected } from '@/lib/dicom/inspect';
import type { ViewerFile, ViewerSeries } from './types';

export type LocalEntry = { id: string; path: string; size: number; inspected: Inspected; instanceNumber: number | null };

export type LocalStudy = {
  series: ViewerSeries[];
  files: ViewerFile[];
  studies: { patientName: string; patientId: string; date: string; description: string }[];
  skipped: Summary['skipped'];
  /** A DICOMDIR was among the files, but none of the images it lists. */
  onlyIndex: boolean;
};

/** Instance number from the first bytes of a file (the header check reads it). */
export function readInstanceNumber(head: Uint8Array): number | null {
  const r = inspect(head);
  return r.kind === 'dicom' ? r.header.instanceNumber : null;
}

const collator = new Intl.Collator('de', { numeric: true });

export function groupLocalFiles(entries: LocalEntry[]): LocalStudy {
  const summary = summarise(entries.map((e) => ({ path: e.path, size: e.size, inspected: e.inspected })));
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const series: ViewerSeries[] = [];
  const files: ViewerFile[] = [];
  for (const study of summary.studies) {
    for (const s of study.series) series.push({ seriesInstanceUid: s.seriesInstanceUid, modality: s.modality, description: s.description, number: s.number, images: s.images });
    const dicom = study.paths.map((p) => ({ entry: byPath.get(p)!, header: study.headers[p] }));
    dicom.sort((a, b) => (a.entry.instanceNumber ?? Infinity) - (b.entry.instanceNumber ?? Infinity) || collator.compare(a.entry.path, b.entry.path));
    for (const { entry, header } of dicom) {
      files.push({ fileId: entry.id, path: entry.path, kind: 'dicom', seriesInstanceUid: header.seriesInstanceUid, sopInstanceUid: header.sopInstanceUid, frames: header.frames });
    }
  }
  for (const a of summary.attachments) files.push({ fileId: byPath.get(a.path)!.id, path: a.path, kind: a.kind });
  return {
    series,
    files,
    studies: summary.studies.map((s) => ({ patientName: s.patient.name, patientId: s.patient.id, date: s.date, description: s.description })),
    skipped: summary.skipped,
    onlyIndex: series.length === 0 && summary.skipped.some((s) => s.reason === 'cd_index'),
  };
}
