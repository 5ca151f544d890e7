// Window/level: the presets radiologists expect and the conversions between
// window width/centre (what is shown) and the value range the renderer takes.

export type WindowLevel = { width: number; center: number };
export type VoiRange = { lower: number; upper: number };

export const PRESETS = [
  { id: 'softTissue', width: 400, center: 40 },
  { id: 'lung', width: 1500, center: -600 },
  { id: 'bone', width: 2000, center: 400 },
  { id: 'brain', width: 80, center: 40 },
] as const;

export type PresetId = (typeof PRESETS)[number]['id'];

export function toVoiRange({ width, center }: WindowLevel): VoiRange {
  const w = Math.max(1, width);
  return { lower: center - w / 2, upper: center + w / 2 };
}

export function toWindowLevel({ lower, upper }: VoiRange): WindowLevel {
  return { width: upper - lower, center: (upper + lower) / 2 };
}

/** Whole numbers for the display; below 10 one decimal (PET and scaled data). */
export function formatWindowValue(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return Math.abs(v) < 10 && !Number.isInteger(v) ? v.toFixed(1) : String(Math.round(v));
}

/** The presets only make sense for CT Hounsfield units; other modalities keep them but the toolbar marks them. */
export const presetsApply = (modality: string) => modality === 'CT';
