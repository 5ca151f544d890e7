import { describe, expect, it } from 'vitest';
import type { StudyFile, StudySeries } from '@/lib/protocol/studies';
import { objectSeries, studyCounts } from './counts';

const series = (uid: string, modality: string, images: number, objects?: number): StudySeries => ({ seriesInstanceUid: uid, modality, description: '', number: null, images, ...(objects ? { objects } : {}) });
let n = 0;
const file = (seriesInstanceUid: string | undefined, more: Partial<StudyFile> = {}): StudyFile => ({ fileId: `f${++n}`, path: `p${n}`, size: 1, sha256: '', kind: 'dicom', seriesInstanceUid, ...more });

describe('what a study holds, from its manifest', () => {
  it('counts frames of image files as images, reports and waveforms as objects, PDF and JPEG as documents', () => {
    const m = {
      series: [series('ct', 'CT', 2), series('mf', 'OT', 15), series('sr', 'SR', 0, 1), series('ecg', 'ECG', 0, 1)],
      files: [
        file('ct', { frames: 1 }),
        file('ct'),
        file('mf', { frames: 15 }),
        file('sr', { noImage: true }),
        file('ecg', { noImage: true }),
        file(undefined, { kind: 'pdf' }),
        file(undefined, { kind: 'jpeg' }),
      ],
    };
    expect(studyCounts(m)).toEqual({ series: 4, images: 17, objects: 2, objectModalities: ['SR', 'ECG'], documents: 2 });
    expect(objectSeries(m).map((s) => s.seriesInstanceUid)).toEqual(['sr', 'ecg']);
  });

  it('a manifest written before files said whether they hold an image: reports and waveforms are told by their series modality', () => {
    const m = { series: [series('ct', 'CT', 1), series('sr', 'SR', 1), series('doc', 'DOC', 1)], files: [file('ct', { frames: 1 }), file('sr', { frames: 1 }), file('doc', { frames: 1 })] };
    // DOC may be a scanned page (an image) or an encapsulated PDF: without the flag it stays an image.
    expect(studyCounts(m)).toMatchObject({ images: 2, objects: 1, objectModalities: ['SR'] });
  });

  it('a file without an image in a series of images: the series stays an image series', () => {
    const m = { series: [series('us', 'US', 3, 1)], files: [file('us', { frames: 3 }), file('us', { noImage: true })] };
    expect(studyCounts(m)).toMatchObject({ images: 3, objects: 1, objectModalities: [] });
    expect(objectSeries(m)).toEqual([]);
  });
});
