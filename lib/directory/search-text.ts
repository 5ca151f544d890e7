// What the directory search compares: text folded so that "Müller", "Mueller"
// and "MÜLLER" meet, accents dropped ("Clinique Sainte-Hélène"), and every
// run of punctuation a single space. Queries are folded the same way.

const UMLAUTS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

export function foldForSearch(s: string): string {
  return s
    .toLowerCase()
    .replace(/[äöüß]/g, (c) => UMLAUTS[c])
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Query words: at most five, each of at least two characters (one letter matches everything). */
export function queryWords(q: string): string[] {
  return [...new Set(foldForSearch(q).split(' '))].filter((w) => w.length >= 2).slice(0, 5);
}

/** Words a partner may type for each kind of organisation (German first; the directory is German). */
export const ORG_TYPE_WORDS: Record<string, string> = {
  arztpraxis: 'Arztpraxis Praxis',
  mvz: 'MVZ Medizinisches Versorgungszentrum',
  krankenhaus: 'Krankenhaus Klinik Klinikum',
  beratungsstelle: 'Beratungsstelle',
  pflegeeinrichtung: 'Pflegeeinrichtung Pflegeheim',
  sonstige: '',
};

export type ListedProfile = {
  name: string;
  orgType: string;
  specialty: string | null;
  street: string;
  plz: string;
  city: string;
  mailboxNames: string[];
};

/** Umlaut words once more with the dots dropped ("Süd" → "sud"), as typed on keyboards without umlauts. */
function withoutDots(text: string): string[] {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => /[äöü]/.test(w));
  return words.map((w) => w.normalize('NFD').replace(/\p{M}/gu, ''));
}

/** The distinct words an entry is found by: profile, place, kind and mailboxes, folded. */
export function directoryWords(p: ListedProfile): string[] {
  const text = [p.name, ORG_TYPE_WORDS[p.orgType] ?? '', p.specialty ?? '', p.plz, p.city, p.street, ...p.mailboxNames].join(' ');
  const words = foldForSearch([text, ...withoutDots(text)].join(' ')).split(' ');
  return [...new Set(words)].filter(Boolean);
}
