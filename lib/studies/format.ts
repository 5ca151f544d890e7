// Display of study details: sizes, DICOM dates and person names (pure).

export function formatBytes(n: number, locale: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return new Intl.NumberFormat(locale, { style: 'unit', unit: units[i], unitDisplay: 'short', maximumFractionDigits: v < 10 && i > 0 ? 1 : 0 }).format(v);
}

/** A DICOM date (DA: "20240131", older files "2024.01.31") as "31.01.2024"; anything else as it came, empty stays empty. */
export function dicomDate(d: string | undefined | null): string {
  const v = (d ?? '').trim();
  const m = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(v);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : v;
}

/** A DICOM person name (PN: "Family^Given^Middle^Prefix^Suffix", alphabetic group only) as "Family, Prefix Given Middle Suffix". */
export function personName(pn: string | undefined | null): string {
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = ((pn ?? '').split('=')[0] ?? '').split('^').map((p) => p.trim());
  const first = [prefix, given, middle].filter(Boolean).join(' ');
  return [[family, first].filter(Boolean).join(', '), suffix].filter(Boolean).join(' ');
}

/** Seconds as "1 min 20 s" / "45 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
