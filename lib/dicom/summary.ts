// The summary a sender sees before sending, from the inspected files (pure):
// studies with patient, dates, modalities, series and image counts and size,
// the attachments, and everything that will not be sent, with the reason.
// "Bilder" are frames of image files, as radiology viewers count them (a
// multi-frame file of 15 frames is 15 images); objects without an image
// (reports, waveforms) are counted apart. Recipients count the same from the
// manifest (lib/studies/counts.ts).
import { VIEWABLE_SYNTAXES, type DicomHeader, type Inspected } from './inspect';

export type PickedFile = { path: string; size: number; inspected: Inspected };

/** images: frames of the series' image files; objects: its files without an image. */
export type SeriesSummary = { seriesInstanceUid: string; number: number | null; description: string; modality: string; images: number; objects: number };

export type StudySummary = {
  studyInstanceUid: string;
  patient: { name: string; id: string; birthDate: string; sex: string };
  date: string;
  description: string;
  modalities: string[];
  series: SeriesSummary[];
  images: number;
  /** Files without an image (reports, waveforms, …): sent, not counted as images. */
  objects: number;
  bytes: number;
  paths: string[];
  /** Headers of the files to send, by path (what the manifest lists). */
  headers: Record<string, DicomHeader>;
  /** More than one patient in one study: refused, the files are probably mixed up. */
  patientsDiffer: boolean;
  /** Transfer syntaxes the viewer cannot show: the study can be sent, the recipient downloads it. */
  notViewable: string[];
  /** Files that name no modality: sent, filed under UNKNOWN_MODALITY ("OT"). */
  withoutModality: number;
};

export type SkipReason = 'duplicate' | 'missing_tags' | 'not_part10' | 'not_dicom' | 'unreadable' | 'cd_index';
export type Summary = { studies: StudySummary[]; attachments: { path: string; size: number; kind: 'pdf' | 'jpeg' }[]; skipped: { path: string; reason: SkipReason; detail?: string }[] };

const samePatient = (a: DicomHeader, b: DicomHeader) => a.patientId === b.patientId && a.patientName === b.patientName && a.birthDate === b.birthDate;

export function summarise(files: PickedFile[]): Summary {
  const out: Summary = { studies: [], attachments: [], skipped: [] };
  const byStudy = new Map<string, StudySummary & { first: DicomHeader }>();
  const seenSop = new Set<string>();
  for (const f of files) {
    const r = f.inspected;
    switch (r.kind) {
      case 'pdf':
      case 'jpeg':
        out.attachments.push({ path: f.path, size: f.size, kind: r.kind });
        continue;
      case 'dicomdir':
        out.skipped.push({ path: f.path, reason: 'cd_index' });
        continue;
      case 'not-part10':
        out.skipped.push({ path: f.path, reason: 'not_part10' });
        continue;
      case 'other':
        out.skipped.push({ path: f.path, reason: 'not_dicom' });
        continue;
      case 'unreadable':
        out.skipped.push({ path: f.path, reason: 'unreadable', detail: r.reason });
        continue;
    }
    const h = r.header;
    if (r.missing.length) {
      out.skipped.push({ path: f.path, reason: 'missing_tags', detail: r.missing.join(', ') });
      continue;
    }
    if (seenSop.has(h.sopInstanceUid)) {
      out.skipped.push({ path: f.path, reason: 'duplicate' });
      continue;
    }
    seenSop.add(h.sopInstanceUid);
    let s = byStudy.get(h.studyInstanceUid);
    if (!s) {
      s = {
        first: h,
        studyInstanceUid: h.studyInstanceUid,
        patient: { name: h.patientName, id: h.patientId, birthDate: h.birthDate, sex: h.sex },
        date: h.studyDate,
        description: h.studyDescription,
        modalities: [],
        series: [],
        images: 0,
        objects: 0,
        bytes: 0,
        paths: [],
        headers: {},
        patientsDiffer: false,
        notViewable: [],
        withoutModality: 0,
      };
      byStudy.set(h.studyInstanceUid, s);
    }
    if (!samePatient(s.first, h)) s.patientsDiffer = true;
    if (h.modality && !s.modalities.includes(h.modality)) s.modalities.push(h.modality);
    let series = s.series.find((x) => x.seriesInstanceUid === h.seriesInstanceUid);
    if (!series) {
      series = { seriesInstanceUid: h.seriesInstanceUid, number: h.seriesNumber, description: h.seriesDescription, modality: h.modality, images: 0, objects: 0 };
      s.series.push(series);
    }
    if (h.image) {
      series.images += h.frames;
      s.images += h.frames;
    } else {
      series.objects += 1;
      s.objects += 1;
    }
    if (r.assumed.includes('Modality')) s.withoutModality += 1;
    s.bytes += f.size;
    s.paths.push(f.path);
    s.headers[f.path] = h;
    if (h.image && h.transferSyntaxUid && !VIEWABLE_SYNTAXES.has(h.transferSyntaxUid) && !s.notViewable.includes(h.transferSyntaxUid)) s.notViewable.push(h.transferSyntaxUid);
  }
  out.studies = [...byStudy.values()].map(({ first: _first, ...s }) => ({ ...s, series: s.series.sort((a, b) => (a.number ?? 1e9) - (b.number ?? 1e9)) }));
  return out;
}
