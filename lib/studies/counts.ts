// How much a study holds, as every page shows it from the sealed manifest
// (pure): series, images, objects without an image, and attached documents.
// "Bilder" are frames of image files, as the sender's check counts them
// (lib/dicom/summary.ts); a report or waveform is no image. Manifests written
// before files said so (`noImage`) are read by their series' modality.
import { NON_IMAGE_MODALITIES } from '@/lib/dicom/objects';
import type { StudyFile, StudyManifest, StudySeries } from '@/lib/protocol/studies';

type Manifest = Pick<StudyManifest, 'series' | 'files'>;

/** Whether a file of the manifest is a DICOM image (not a report, waveform, PDF or JPEG). */
export function isImage(f: StudyFile, modalityOf: Map<string, string>): boolean {
  if (f.kind !== 'dicom' || f.noImage) return false;
  return !NON_IMAGE_MODALITIES.has(modalityOf.get(f.seriesInstanceUid ?? '') ?? '');
}

const modalities = (m: Manifest) => new Map(m.series.map((s) => [s.seriesInstanceUid, s.modality]));

export type StudyCounts = {
  series: number;
  images: number;
  /** DICOM files without an image. */
  objects: number;
  /** The modalities of the series without any image, in the manifest's order (for their labels). */
  objectModalities: string[];
  /** Attached PDF and JPEG files. */
  documents: number;
};

export function studyCounts(m: Manifest): StudyCounts {
  const modalityOf = modalities(m);
  let images = 0;
  let objects = 0;
  for (const f of m.files) {
    if (isImage(f, modalityOf)) images += Math.max(1, f.frames ?? 1);
    else if (f.kind === 'dicom') objects += 1;
  }
  const objectModalities = [...new Set(objectSeries(m).map((s) => s.modality))];
  return { series: m.series.length, images, objects, objectModalities, documents: m.files.filter((f) => f.kind !== 'dicom').length };
}

/** The series none of whose files is an image: listed by name, never opened as images. */
export function objectSeries(m: Manifest): StudySeries[] {
  const modalityOf = modalities(m);
  const withImage = new Set(m.files.filter((f) => isImage(f, modalityOf)).map((f) => f.seriesInstanceUid));
  return m.series.filter((s) => !withImage.has(s.seriesInstanceUid));
}
