// Directory search at scale: 1,000,000 synthetic listed organisations on
// PostgreSQL (and a smaller set on the embedded PGlite), queried through the
// real service with typos in names, cities and specialties. Writes the
// "Directory search" section of docs/PERFORMANCE.md.
//
//   npm run bench:directory                 (BENCH_DIRECTORY_ENTRIES, BENCH_DATABASE_URL to change)
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { like, sql } from 'drizzle-orm';
import { openPglite, openPostgres, type Db } from '@/lib/db/client';
import { organisations } from '@/lib/db/schema';
import { searchDirectory } from '@/lib/directory/service';
import { directoryWords, foldForSearch } from '@/lib/directory/search-text';
import { percentile, writePerformanceSection } from './lib/app-server';

const ENTRIES = Number(process.env.BENCH_DIRECTORY_ENTRIES ?? 1_000_000);
const PGLITE_ENTRIES = Number(process.env.BENCH_PGLITE_ENTRIES ?? 50_000);
const QUERIES = 200;
const URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/konsil_bench_directory';

// A small deterministic generator, so every run builds the same directory.
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

const STEMS = ['Acker', 'Bauer', 'Becker', 'Berg', 'Braun', 'Busch', 'Dietz', 'Eck', 'Engel', 'Fisch', 'Franke', 'Fuchs', 'Graf', 'Groß', 'Haas', 'Hahn', 'Hart', 'Hoff', 'Horn', 'Huber', 'Jäger', 'Kaiser', 'Keller', 'Klein', 'Koch', 'König', 'Krüger', 'Kuhn', 'Lang', 'Lehmann', 'Lorenz', 'Maier', 'Mohr', 'Müller', 'Neu', 'Otto', 'Peters', 'Pohl', 'Roth', 'Sauer', 'Schmid', 'Schulz', 'Schwarz', 'Seidel', 'Sommer', 'Stein', 'Vogel', 'Wagner', 'Walter', 'Weber', 'Wolf', 'Zimmer', 'Öztürk', 'Yılmaz', 'Nowak', 'Kowalski'];
const SUFFIXES = ['', 'mann', 'er', 'ing', 'hausen', 'berg', 'feld', 'dorf', 'brink', 'bach', 'hof', 'meier'];
const SURNAMES = STEMS.flatMap((s) => SUFFIXES.map((x) => s + x));
const CITIES: [string, string][] = [
  ['Berlin', '10'], ['Hamburg', '20'], ['München', '80'], ['Köln', '50'], ['Frankfurt am Main', '60'], ['Stuttgart', '70'], ['Düsseldorf', '40'], ['Leipzig', '04'], ['Dortmund', '44'], ['Essen', '45'],
  ['Bremen', '28'], ['Dresden', '01'], ['Hannover', '30'], ['Nürnberg', '90'], ['Duisburg', '47'], ['Bochum', '44'], ['Wuppertal', '42'], ['Bielefeld', '33'], ['Bonn', '53'], ['Münster', '48'],
  ['Mannheim', '68'], ['Karlsruhe', '76'], ['Augsburg', '86'], ['Wiesbaden', '65'], ['Mönchengladbach', '41'], ['Gelsenkirchen', '45'], ['Aachen', '52'], ['Braunschweig', '38'], ['Kiel', '24'], ['Chemnitz', '09'],
  ['Halle (Saale)', '06'], ['Magdeburg', '39'], ['Freiburg im Breisgau', '79'], ['Krefeld', '47'], ['Mainz', '55'], ['Lübeck', '23'], ['Erfurt', '99'], ['Oberhausen', '46'], ['Rostock', '18'], ['Kassel', '34'],
  ['Hagen', '58'], ['Potsdam', '14'], ['Saarbrücken', '66'], ['Hamm', '59'], ['Ludwigshafen', '67'], ['Oldenburg', '26'], ['Mülheim an der Ruhr', '45'], ['Osnabrück', '49'], ['Leverkusen', '51'], ['Heidelberg', '69'],
  ['Darmstadt', '64'], ['Solingen', '42'], ['Regensburg', '93'], ['Herne', '44'], ['Paderborn', '33'], ['Neuss', '41'], ['Ingolstadt', '85'], ['Offenbach', '63'], ['Fürth', '90'], ['Würzburg', '97'],
  ['Ulm', '89'], ['Heilbronn', '74'], ['Pforzheim', '75'], ['Wolfsburg', '38'], ['Göttingen', '37'], ['Bottrop', '46'], ['Reutlingen', '72'], ['Koblenz', '56'], ['Bremerhaven', '27'], ['Recklinghausen', '45'],
  ['Bergisch Gladbach', '51'], ['Erlangen', '91'], ['Jena', '07'], ['Remscheid', '42'], ['Trier', '54'], ['Salzgitter', '38'], ['Moers', '47'], ['Siegen', '57'], ['Hildesheim', '31'], ['Cottbus', '03'],
];
const SPECIALTIES = ['Allgemeinmedizin', 'Innere Medizin', 'Kardiologie', 'Radiologie', 'Nuklearmedizin', 'Neurologie', 'Neurochirurgie', 'Orthopädie', 'Unfallchirurgie', 'Chirurgie', 'Gynäkologie', 'Urologie', 'Dermatologie', 'Augenheilkunde', 'HNO-Heilkunde', 'Kinder- und Jugendmedizin', 'Psychiatrie', 'Psychotherapie', 'Anästhesiologie', 'Gastroenterologie', 'Pneumologie', 'Nephrologie', 'Onkologie', 'Hämatologie', 'Rheumatologie', 'Endokrinologie', 'Angiologie', 'Strahlentherapie', 'Pathologie', 'Zahnmedizin', 'Mund-Kiefer-Gesichtschirurgie', 'Geriatrie'];
const STREETS = ['Hauptstraße', 'Bahnhofstraße', 'Schillerstraße', 'Goethestraße', 'Gartenstraße', 'Lindenallee', 'Marktplatz', 'Kirchweg', 'Am Klinikum', 'Parkstraße', 'Rosenweg', 'Friedrich-Ebert-Straße', 'Mühlenweg', 'Schulstraße', 'Ringstraße'];
const TYPES = ['arztpraxis', 'arztpraxis', 'arztpraxis', 'mvz', 'krankenhaus', 'pflegeeinrichtung', 'beratungsstelle'] as const;
const QUARTERS = ['Nord', 'Süd', 'Ost', 'West', 'Mitte'];

type Synth = { name: string; surname: string; city: string; specialty: string; row: typeof organisations.$inferInsert };

function synth(i: number): Synth {
  const surname = pick(SURNAMES);
  const [city, plz2] = pick(CITIES);
  const specialty = pick(SPECIALTIES);
  const street = pick(STREETS);
  const orgType = pick(TYPES);
  const name =
    orgType === 'krankenhaus'
      ? `Klinikum ${city} ${pick(QUARTERS)}`
      : orgType === 'mvz'
        ? `MVZ ${specialty} ${surname}`
        : rnd() < 0.3
          ? `Gemeinschaftspraxis ${surname} & ${pick(SURNAMES)}`
          : `Praxis Dr. ${surname}`;
  const plz = `${plz2}${String(Math.floor(rnd() * 1000)).padStart(3, '0')}`;
  const row = {
    id: randomUUID(),
    shortName: `bench${i}`,
    shortNameNorm: `bench${i}`,
    name,
    orgType,
    orgSize: '1-5',
    specialty,
    street,
    houseNumber: String(1 + Math.floor(rnd() * 120)),
    plz,
    city,
    salutation: 'frau',
    firstName: 'Anna',
    lastName: surname,
    email: `kontakt${i}@praxis.example`,
    phone: '+49 30 1234567',
    directoryVisible: true,
    plan: 'basis',
    publicKey: 'A'.repeat(43),
    publicKeyFingerprint: '0000',
    encPrivateKey: 'x',
    avvVersion: 'bench',
    avvAcceptedAt: new Date(),
    directoryWords: directoryWords({ name, orgType, specialty, street, plz, city, mailboxNames: [] }),
  };
  return { name, surname, city, specialty, row };
}

/** One typo a hurried user makes: a letter dropped, two swapped, or one replaced. */
function typo(word: string): string {
  if (word.length < 5) return word;
  const i = 1 + Math.floor(rnd() * (word.length - 2));
  const k = Math.floor(rnd() * 3);
  if (k === 0) return word.slice(0, i) + word.slice(i + 1);
  if (k === 1) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  return word.slice(0, i) + 'e' + word.slice(i + 1);
}

async function fill(db: Db, n: number, samples: Synth[]) {
  const [{ count }] = await db.select({ count: sql<number>`count(*)::int` }).from(organisations).where(like(organisations.shortName, 'bench%'));
  seed = 42;
  const batch = 2000;
  const t = performance.now();
  for (let i = 0; i < n; i += batch) {
    const rows: Synth[] = [];
    for (let j = i; j < Math.min(n, i + batch); j++) rows.push(synth(j));
    if (samples.length < 2000) samples.push(...rows.slice(0, 4));
    if (i >= count) await db.insert(organisations).values(rows.map((r) => r.row)).onConflictDoNothing();
    if (i % 100_000 === 0 && i >= count) console.log(`  ${i.toLocaleString('en')} entries (${((performance.now() - t) / 1000).toFixed(0)} s)`);
  }
  await db.execute(sql`insert into directory_terms select distinct unnest(directory_words) from organisations where short_name like 'bench%' on conflict do nothing`);
  await db.execute(sql`analyze organisations`);
  await db.execute(sql`analyze directory_terms`);
  console.log(`  ${n.toLocaleString('en')} entries ready (${((performance.now() - t) / 1000).toFixed(0)} s)`);
}

type Kind = { kind: string; query: (s: Synth) => string; expect: (s: Synth, names: string[], r: Awaited<ReturnType<typeof searchDirectory>>) => boolean };

const KINDS: Kind[] = [
  { kind: 'name with a typo', query: (s) => typo(s.surname), expect: (s, _n, r) => r.some((e) => foldForSearch(e.name).includes(foldForSearch(s.surname).slice(0, 3))) },
  { kind: 'city with a typo', query: (s) => typo(s.city.split(' ')[0]), expect: (s, _n, r) => r.some((e) => e.city === s.city) },
  { kind: 'specialty with a typo', query: (s) => typo(s.specialty.split(/[ -]/)[0]), expect: (s, _n, r) => r.some((e) => e.specialty === s.specialty) },
  { kind: 'name and city, typo in the name', query: (s) => `${typo(s.surname)} ${s.city.split(' ')[0]}`, expect: (s, _n, r) => r.some((e) => e.city === s.city) },
  { kind: 'umlauts typed as ae/oe/ue', query: (s) => foldForSearch(s.city.split(' ')[0]), expect: (s, _n, r) => r.some((e) => e.city === s.city) },
];

async function measure(db: Db, samples: Synth[], queries: number) {
  const out: { kind: string; p50: number; p95: number; max: number; found: number }[] = [];
  // Warm the index and the connection as a running server would be.
  for (let i = 0; i < 20; i++) await searchDirectory(db, pick(samples).city);
  for (const k of KINDS) {
    const ms: number[] = [];
    let found = 0;
    for (let i = 0; i < queries; i++) {
      const s = pick(samples);
      const q = k.query(s);
      const t = performance.now();
      const r = await searchDirectory(db, q);
      ms.push(performance.now() - t);
      if (k.expect(s, [], r)) found++;
    }
    ms.sort((a, b) => a - b);
    out.push({ kind: k.kind, p50: percentile(ms, 50), p95: percentile(ms, 95), max: ms[ms.length - 1], found: found / queries });
  }
  return out;
}

const table = (rows: Awaited<ReturnType<typeof measure>>) => [
  '| query | p50 | p95 | max | intended entry among the results |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.kind} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.max.toFixed(1)} ms | ${(r.found * 100).toFixed(0)} % |`),
];

async function main() {
  const admin = (await import('postgres')).default(URL.replace(/\/[^/]+$/, '/postgres'), { onnotice: () => {} });
  const dbName = URL.split('/').pop()!;
  const exists = await admin`select 1 from pg_database where datname = ${dbName}`;
  if (!exists.length) await admin.unsafe(`create database "${dbName}"`);
  await admin.end();

  console.log(`PostgreSQL: ${ENTRIES.toLocaleString('en')} listed organisations`);
  const pg = await openPostgres(URL, { migrate: true, max: 1 });
  const samples: Synth[] = [];
  await fill(pg.db, ENTRIES, samples);
  const pgRows = await measure(pg.db, samples, QUERIES);
  await pg.close();

  console.log(`PGlite: ${PGLITE_ENTRIES.toLocaleString('en')} listed organisations`);
  const lite = await openPglite(null, { migrate: true });
  const liteSamples: Synth[] = [];
  await fill(lite.db, PGLITE_ENTRIES, liteSamples);
  const liteRows = await measure(lite.db, liteSamples, 50);
  await lite.close();

  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}`;
  const body = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}: the directory service (\`searchDirectory\`) against ${ENTRIES.toLocaleString('en')} synthetic listed organisations on PostgreSQL (the query words looked up in the dictionary of entry words with a pg_trgm index, then entries matched on a GIN index of their words), ${QUERIES} queries of each kind, each with one typo (a letter dropped, swapped or replaced) unless noted. Goal: p95 ≤ 50 ms.`,
    '',
    ...table(pgRows),
    '',
    `The embedded database (PGlite, in-process WebAssembly) with ${PGLITE_ENTRIES.toLocaleString('en')} entries, 50 queries of each kind:`,
    '',
    ...table(liteRows),
    '',
    'Every query word must match a word of the entry as typed, as its beginning, or spelt nearly so (trigram similarity ≥ 0.5, or ≥ 0.3 where no word begins with it); the closest readings are searched first, the best 20 of at most 300 candidates shown. "Intended entry" counts queries whose results include an entry with the name, city or specialty the typo was made from.',
  ].join('\n');
  const file = writePerformanceSection('## Directory search (`npm run bench:directory`)', body);
  console.log(body);
  console.log(`\nwritten to ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
