import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { InvoiceData } from '@/lib/db/schema';
import { formatEuro } from './invoice';
import { formatGermanDate } from './notice';

export type InvoiceForPdf = {
  number: string;
  month: string; // YYYY-MM
  issuedOn: string; // YYYY-MM-DD
  netCents: number;
  vatCents: number;
  grossCents: number;
  data: InvoiceData;
  orgShortName: string;
};

const MONTHS = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'];

export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${MONTHS[m - 1]} ${y}`;
}

/** The creditor identifier for SEPA direct debits (configurable; the default is the Bundesbank's example id). */
function creditorId(): string {
  return process.env.KONSIL_SEPA_CREDITOR_ID || 'DE98ZZZ09999999999';
}

// DejaVu Sans covers every Latin script (Łucja, Çelik, Nguyễn) where the PDF
// standard fonts stop at WinAnsi; it is embedded as a subset of the glyphs used.
const FONT_DIR = path.join(process.cwd(), 'node_modules', 'dejavu-fonts-ttf', 'ttf');
let fonts: Promise<[Uint8Array, Uint8Array]> | undefined;
function fontFiles() {
  fonts ??= Promise.all([fs.readFile(path.join(FONT_DIR, 'DejaVuSans.ttf')), fs.readFile(path.join(FONT_DIR, 'DejaVuSans-Bold.ttf'))]);
  return fonts;
}

/**
 * The invoice as PDF (A4, German number and date formats), with an embedded
 * Unicode font so that any name and address prints as written.
 */
export async function renderInvoicePdf(inv: InvoiceForPdf): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Rechnung ${inv.number}`);
  doc.setAuthor('Konsil');
  doc.setSubject(`Konsil plus – ${monthLabel(inv.month)}`);
  doc.setLanguage('de-DE');
  const page = doc.addPage([595.28, 841.89]);
  doc.registerFontkit(fontkit);
  const [regularFile, boldFile] = await fontFiles();
  const font = await doc.embedFont(regularFile, { subset: true });
  const bold = await doc.embedFont(boldFile, { subset: true });
  const ink = rgb(0.1, 0.12, 0.16);
  const muted = rgb(0.38, 0.42, 0.48);
  const left = 56;
  const right = 595.28 - 56;
  let y = 841.89 - 64;

  const text = (p: PDFPage, s: string, x: number, yy: number, f: PDFFont = font, size = 10, color = ink) => p.drawText(s, { x, y: yy, size, font: f, color });
  const rightText = (s: string, xr: number, yy: number, f: PDFFont = font, size = 10) => text(page, s, xr - f.widthOfTextAtSize(s, size), yy, f, size);

  text(page, 'Konsil', left, y, bold, 20, rgb(0.07, 0.37, 0.45));
  rightText('Rechnung', right, y, bold, 16);
  y -= 16;
  text(page, 'Telekooperation für Praxen und Kliniken', left, y, font, 9, muted);
  y -= 48;

  const a = inv.data.address;
  for (const line of [a.name, a.attention, `${a.street} ${a.houseNumber}`, a.addressExtra ?? '', `${a.plz} ${a.city}`].filter(Boolean)) {
    text(page, line, left, y);
    y -= 14;
  }
  let yr = 841.89 - 64 - 64;
  for (const [k, v] of [
    ['Rechnungsnummer', inv.number],
    ['Rechnungsdatum', formatGermanDate(inv.issuedOn)],
    ['Leistungszeitraum', monthLabel(inv.month)],
    ['Kundennummer', inv.orgShortName],
  ] as const) {
    text(page, k, right - 250, yr, font, 9);
    rightText(v, right, yr, bold, 9);
    yr -= 14;
  }
  y = Math.min(y, yr) - 36;

  text(page, `Rechnung ${inv.number} – Konsil plus, ${monthLabel(inv.month)}`, left, y, bold, 12);
  y -= 28;
  // table header
  const cols = { pos: left, desc: left + 28, qty: right - 190, unit: right - 100, amount: right };
  text(page, 'Pos.', cols.pos, y, bold, 9);
  text(page, 'Leistung', cols.desc, y, bold, 9);
  rightText('Menge', cols.qty, y, bold, 9);
  rightText('Einzelpreis', cols.unit, y, bold, 9);
  rightText('Betrag', cols.amount, y, bold, 9);
  y -= 6;
  page.drawLine({ start: { x: left, y }, end: { x: right, y }, thickness: 0.7, color: muted });
  y -= 16;
  inv.data.lines.forEach((l, i) => {
    text(page, String(i + 1), cols.pos, y);
    if (l.key === 'users') {
      text(page, 'Konsil plus – aktive Benutzer', cols.desc, y);
      text(page, `anteilig ${l.days} von ${l.daysInMonth} Tagen im Tarif plus`, cols.desc, y - 12, font, 8, muted);
      rightText(`${l.quantity} Benutzer`, cols.qty, y);
      rightText(formatEuro(l.unitCents), cols.unit, y);
    } else {
      text(page, 'SMS (Einladungen und Erinnerungen)', cols.desc, y);
      rightText(`${l.quantity} SMS`, cols.qty, y);
      rightText(formatEuro(l.unitCents), cols.unit, y);
    }
    rightText(formatEuro(l.amountCents), cols.amount, y);
    y -= l.key === 'users' ? 30 : 20;
  });
  page.drawLine({ start: { x: cols.unit - 80, y: y + 6 }, end: { x: right, y: y + 6 }, thickness: 0.7, color: muted });
  y -= 8;
  const vatPct = `${Math.round(inv.data.vatRate * 100)} %`;
  for (const [k, v, f] of [
    ['Summe netto', formatEuro(inv.netCents), font],
    [`zzgl. Umsatzsteuer ${vatPct}`, formatEuro(inv.vatCents), font],
    ['Rechnungsbetrag brutto', formatEuro(inv.grossCents), bold],
  ] as const) {
    rightText(k, cols.unit, y, f);
    rightText(v, cols.amount, y, f);
    y -= 16;
  }
  y -= 24;

  const wrap = (s: string, size: number, width: number): string[] => {
    const words = s.split(' ');
    const out: string[] = [];
    let line = '';
    for (const w of words) {
      const tryLine = line ? `${line} ${w}` : w;
      if (font.widthOfTextAtSize(tryLine, size) > width) {
        out.push(line);
        line = w;
      } else line = tryLine;
    }
    if (line) out.push(line);
    return out;
  };
  const para = (s: string, size = 9.5) => {
    for (const l of wrap(s, size, right - left)) {
      text(page, l, left, y, font, size);
      y -= size + 4;
    }
    y -= 6;
  };
  if (inv.data.mandateReference && inv.data.debitDate) {
    text(page, 'SEPA-Lastschrift – Vorabankündigung', left, y, bold, 10);
    y -= 16;
    para(
      `Den Rechnungsbetrag von ${formatEuro(inv.grossCents)} ziehen wir am ${formatGermanDate(inv.data.debitDate)} mit der SEPA-Basislastschrift ` +
        `zur Mandatsreferenz ${inv.data.mandateReference} von Ihrem Konto ${inv.data.iban ?? ''} (Kontoinhaber: ${inv.data.accountHolder ?? ''}) ein. ` +
        `Unsere Gläubiger-Identifikationsnummer lautet ${creditorId()}. Bitte sorgen Sie für ausreichende Deckung.`,
    );
  } else {
    para(`Bitte überweisen Sie den Rechnungsbetrag von ${formatEuro(inv.grossCents)} innerhalb von 14 Tagen unter Angabe der Rechnungsnummer ${inv.number}.`);
  }
  para('Alle Preise verstehen sich netto zuzüglich der gesetzlichen Umsatzsteuer. Konsil plus: 19,00 € je aktivem Benutzer und Monat, anteilig nach Tagen im Tarif plus; SMS je 0,10 €.', 8.5);
  page.drawLine({ start: { x: left, y: 70 }, end: { x: right, y: 70 }, thickness: 0.5, color: muted });
  text(page, 'Konsil · Telekooperationsplattform · Diese Rechnung wurde maschinell erstellt und ist ohne Unterschrift gültig.', left, 56, font, 7.5, muted);
  return doc.save();
}
