// What a DICOM object without an image is, for its label ("Befund (SR)",
// "Kurve (EKG)"). Told from the modality, which the manifest keeps per series,
// so sender and recipient name it alike (pure).

export type ObjectKind = 'report' | 'ecg' | 'waveform' | 'selection' | 'presentation' | 'document' | 'therapy' | 'other';

const KINDS: Record<string, ObjectKind> = {
  SR: 'report',
  ECG: 'ecg',
  HD: 'waveform',
  EPS: 'waveform',
  RESP: 'waveform',
  AU: 'waveform',
  KO: 'selection',
  PR: 'presentation',
  DOC: 'document',
  RTPLAN: 'therapy',
  RTSTRUCT: 'therapy',
  RTRECORD: 'therapy',
  PLAN: 'therapy',
};

export const objectKind = (modality: string): ObjectKind => KINDS[modality] ?? 'other';

/**
 * Modalities that never hold an image (every one above but DOC, which may be a
 * scanned page): a file of a manifest written before files said whether they
 * have one (`noImage`) is told by its series' modality.
 */
export const NON_IMAGE_MODALITIES = new Set(Object.keys(KINDS).filter((m) => m !== 'DOC'));
