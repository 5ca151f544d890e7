// What the study viewer is given: the series to offer, the files in display
// order, and a way to fetch one file's bytes when an image is first shown. The
// bytes are asked for lazily, so a partner's study is decrypted file by file
// as the user scrolls, and a local folder is read from disk the same way.

export type ViewerFile = {
  fileId: string;
  path: string;
  kind: 'dicom' | 'pdf' | 'jpeg';
  seriesInstanceUid?: string;
  sopInstanceUid?: string;
  /** Frames in a multi-frame file, when the header said so (one if not given). */
  frames?: number;
};

export type ViewerSeries = { seriesInstanceUid: string; modality: string; description: string; number: number | null; images: number };

export type ViewerSource = {
  series: ViewerSeries[];
  /** DICOM files of a series appear in this order (the caller sorts them, e.g. by instance number). */
  files: ViewerFile[];
  /** bytes of one file, decrypted; called lazily */
  load: (fileId: string) => Promise<ArrayBuffer>;
};
