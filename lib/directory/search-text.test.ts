import { describe, expect, it } from 'vitest';
import { directoryWords, foldForSearch, queryWords } from './search-text';

describe('folding for the directory search', () => {
  it.each([
    ['Praxis Dr. Müller', 'praxis dr mueller'],
    ['MÜLLER', 'mueller'],
    ['Mueller', 'mueller'],
    ['Große Straße 5', 'grosse strasse 5'],
    ['Clinique Sainte-Hélène', 'clinique sainte helene'],
    ['  Ärztehaus   am  Öhringer Tor ', 'aerztehaus am oehringer tor'],
    ['Radiologie/Nuklearmedizin (MVZ)', 'radiologie nuklearmedizin mvz'],
    ['', ''],
  ])('%s → %s', (input, folded) => expect(foldForSearch(input)).toBe(folded));

  it('query words: folded, distinct, at least two characters, at most five', () => {
    expect(queryWords('Kardiologie  München')).toEqual(['kardiologie', 'muenchen']);
    expect(queryWords('a b cd cd')).toEqual(['cd']);
    expect(queryWords('eins zwei drei vier fünf sechs')).toEqual(['eins', 'zwei', 'drei', 'vier', 'fuenf']);
    expect(queryWords(' !! ')).toEqual([]);
  });

  it('an entry is found by the distinct words of profile, place and mailboxes, umlauts also without dots', () => {
    expect(
      directoryWords({ name: 'Klinikum Süd', orgType: 'krankenhaus', specialty: 'Unfallchirurgie', street: 'Hauptstraße', plz: '80331', city: 'München', mailboxNames: ['Radiologie'] }),
    ).toEqual(['klinikum', 'sued', 'krankenhaus', 'klinik', 'unfallchirurgie', '80331', 'muenchen', 'hauptstrasse', 'radiologie', 'sud', 'munchen']);
  });
});
