'use client';
import { useTranslations } from 'next-intl';
import { objectKind } from '@/lib/dicom/objects';

/** The label of a DICOM object without an image, by its modality: "Befund (SR)", "Kurve (EKG)". */
export function useObjectLabel() {
  const t = useTranslations('dicomObject');
  return (modality: string) => t('label', { kind: objectKind(modality), modality });
}
