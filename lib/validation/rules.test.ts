import { describe, expect, it } from 'vitest';

import {
  PASSWORD_MIN,
  formatIban,
  isValidBic,
  isValidBsnr,
  isValidEmail,
  isValidIban,
  isValidLanr,
  isValidPhone,
  isValidPlz,
  isValidShortName,
  lanrCheckDigit,
  normalizeBic,
  normalizeIban,
  normalizeShortName,
  shortNameError,
} from './rules';

// Independent re-implementation of the KBV rule, so the tests do not merely
// repeat the production function back to itself.
function makeLanr(firstSix: string, fachgruppe: string): string {
  const w = [4, 9, 4, 9, 4, 9];
  const sum = firstSix.split('').reduce((acc, ch, i) => acc + Number(ch) * w[i], 0);
  return `${firstSix}${(10 - (sum % 10)) % 10}${fachgruppe}`;
}

describe('short names', () => {
  it('normalises for comparison: trim, NFC, lower case', () => {
    expect(normalizeShortName('  Praxis-MÜLLER ')).toBe('praxis-müller');
    // "u" + combining diaeresis must equal the precomposed "ü"
    expect(normalizeShortName('Mu\u0308ller')).toBe(normalizeShortName('MÜLLER'));
    expect(normalizeShortName('Mu\u0308ller')).toBe('m\u00fcller');
    expect(normalizeShortName('ABC')).toBe(normalizeShortName('abc'));
  });

  it('accepts letters (incl. umlauts, ß, other scripts), digits and inner . _ -', () => {
    for (const s of ['ab', 'a1', 'Praxis-Müller', 'straße', 'Øresund', 'Łódź', 'anna.mueller', 'mvz_nord-2', '42', 'Μαρία']) {
      expect(isValidShortName(s), s).toBe(true);
    }
  });

  it('trims before validating', () => {
    expect(isValidShortName('  praxis  ')).toBe(true);
  });

  it('counts a decomposed umlaut as one character', () => {
    expect(isValidShortName('u\u0308x')).toBe(true);
    expect(isValidShortName('\u00fc'.repeat(40))).toBe(true);
    expect(isValidShortName('u\u0308'.repeat(40))).toBe(true);
    expect(isValidShortName('u\u0308'.repeat(41))).toBe(false);
  });

  it('rejects spaces, leading/trailing separators and other symbols', () => {
    for (const s of ['Dr Müller', '.praxis', 'praxis.', '-ab', 'ab_', 'a@b', 'a/b', 'praxis😀', 'a\tb']) {
      expect(isValidShortName(s), s).toBe(false);
    }
    expect(shortNameError('Dr Müller')).toBe('invalidShortName');
  });

  it('enforces 2–40 characters', () => {
    expect(shortNameError('a')).toBe('tooShort');
    expect(shortNameError('   a  ')).toBe('tooShort');
    expect(shortNameError('')).toBe('tooShort');
    expect(shortNameError('a'.repeat(40))).toBeNull();
    expect(shortNameError('a'.repeat(41))).toBe('tooLong');
  });
});

describe('PLZ', () => {
  it('accepts exactly five digits, including the foreign placeholder', () => {
    expect(isValidPlz('12345')).toBe(true);
    expect(isValidPlz('01067')).toBe(true);
    expect(isValidPlz('99999')).toBe(true);
    expect(isValidPlz(' 10115 ')).toBe(true);
  });

  it('rejects other lengths and non-digits', () => {
    for (const s of ['1234', '123456', 'abcde', '', '12 34', '1234a', '１２３４５']) {
      expect(isValidPlz(s), s).toBe(false);
    }
  });
});

describe('LANR', () => {
  it('computes the check digit with weights 4,9,4,9,4,9', () => {
    // 1·4 + 2·9 + 3·4 + 4·9 + 5·4 + 6·9 = 144 → (10 − 4) % 10 = 6
    expect(lanrCheckDigit('123456')).toBe(6);
    // 4·4 + 0·9 + 4·4 + 2·9 + 0·4 + 0·9 = 50 → (10 − 0) % 10 = 0
    expect(lanrCheckDigit('404200')).toBe(0);
    expect(lanrCheckDigit('12345')).toBeNull();
    expect(lanrCheckDigit('12345a')).toBeNull();
  });

  it('accepts the placeholder', () => {
    expect(isValidLanr('999999999')).toBe(true);
  });

  it('accepts LANRs with a correct check digit', () => {
    expect(isValidLanr('123456601')).toBe(true);
    expect(isValidLanr('404200001')).toBe(true);
    for (const [six, fg] of [
      ['123456', '01'],
      ['987654', '23'],
      ['000001', '50'],
      ['314159', '99'],
      ['271828', '42'],
    ]) {
      expect(isValidLanr(makeLanr(six, fg)), `${six}/${fg}`).toBe(true);
    }
  });

  it('rejects a wrong check digit', () => {
    const valid = makeLanr('314159', '99');
    const wrongDigit = (Number(valid[6]) + 1) % 10;
    const invalid = `${valid.slice(0, 6)}${wrongDigit}${valid.slice(7)}`;
    expect(isValidLanr(invalid)).toBe(false);
    expect(isValidLanr('123456501')).toBe(false);
  });

  it('rejects wrong length and letters', () => {
    for (const s of ['12345660', '1234566010', '12345660a', 'abcdefghi', '', '123 456 601']) {
      expect(isValidLanr(s), s).toBe(false);
    }
  });
});

describe('BSNR', () => {
  it('accepts nine digits with a plausible KV prefix', () => {
    for (const s of ['011234567', '381234500', '721234567', '981234567', '171234567', '991234567']) {
      expect(isValidBsnr(s), s).toBe(true);
    }
  });

  it('tolerates region codes outside the current KV list except 00', () => {
    expect(isValidBsnr('041234567')).toBe(true);
    expect(isValidBsnr('001234567')).toBe(false);
  });

  it('rejects wrong length and non-digits', () => {
    for (const s of ['12345678', '1234567890', '12345678a', '', '12 3456789']) {
      expect(isValidBsnr(s), s).toBe(false);
    }
  });
});

describe('IBAN', () => {
  it('accepts valid IBANs in any grouping and case', () => {
    expect(isValidIban('DE89370400440532013000')).toBe(true);
    expect(isValidIban('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(isValidIban('de89 3704 0044 0532 0130 00')).toBe(true);
    expect(isValidIban(' DE89\u00a03704\u00a00044\u00a00532\u00a00130\u00a000 ')).toBe(true);
    expect(isValidIban('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(isValidIban('AT61 1904 3002 3457 3201')).toBe(true);
    expect(isValidIban('NL91ABNA0417164300')).toBe(true);
  });

  it('rejects a changed digit, wrong length and garbage', () => {
    expect(isValidIban('DE89370400440532013001')).toBe(false);
    expect(isValidIban('DE88370400440532013000')).toBe(false);
    expect(isValidIban('DE8937040044053201300')).toBe(false);
    expect(isValidIban('XX89370400440532013000')).toBe(false);
    expect(isValidIban('')).toBe(false);
    expect(isValidIban('not an iban')).toBe(false);
  });

  it('normalises and formats', () => {
    expect(normalizeIban(' de89 3704 0044\t0532 0130 00 ')).toBe('DE89370400440532013000');
    expect(formatIban('de89370400440532013000')).toBe('DE89 3704 0044 0532 0130 00');
    expect(formatIban('DE89 3704 0044 0532 0130 00')).toBe('DE89 3704 0044 0532 0130 00');
    expect(formatIban('')).toBe('');
  });
});

describe('BIC', () => {
  it('accepts 8- and 11-character BICs, case- and space-insensitively', () => {
    expect(isValidBic('COBADEFFXXX')).toBe(true);
    expect(isValidBic('DEUTDEDB')).toBe(true);
    expect(isValidBic('cobadeffxxx')).toBe(true);
    expect(isValidBic(' COBA DE FF XXX ')).toBe(true);
    expect(normalizeBic(' coba de ff ')).toBe('COBADEFF');
  });

  it('rejects wrong lengths, digits in bank code and unknown countries', () => {
    for (const s of ['', 'DEUTDED', 'DEUTDEDBX', 'DEUTDEDBXXXX', 'DEU1DEDB', 'DEUTXXDB', 'DEUT-DE-DB']) {
      expect(isValidBic(s), s).toBe(false);
    }
  });
});

describe('e-mail', () => {
  it('accepts ordinary and unusual-but-valid addresses', () => {
    for (const s of ['a@b.de', 'anna.mueller@praxis-mueller.de', 'a+konsil@sub.example.co.uk', ' x@y.org ']) {
      expect(isValidEmail(s), s).toBe(true);
    }
  });

  it('rejects obvious mistakes', () => {
    for (const s of ['', 'a', 'a@b', '@b.de', 'a@', 'a b@c.de', 'a@b .de', 'a@@b.de', 'a@b@c.de', 'a@.de', 'a@b.', 'a@b..de']) {
      expect(isValidEmail(s), s).toBe(false);
    }
  });

  it('limits the total length to 254', () => {
    const domain = '@example.de';
    expect(isValidEmail('a'.repeat(254 - domain.length) + domain)).toBe(true);
    expect(isValidEmail('a'.repeat(255 - domain.length) + domain)).toBe(false);
  });
});

describe('phone', () => {
  it('accepts common German and international notations', () => {
    for (const s of ['+49 30 1234567', '030/123456-7', '(030) 123 45', '+49 (0)30 12345', '0301234567']) {
      expect(isValidPhone(s), s).toBe(true);
    }
  });

  it('rejects letters, misplaced plus and bad digit counts', () => {
    for (const s of ['', '12345', '+49 30 12ab', '49+301234567', '++49301234567', '030.123456', '1'.repeat(21)]) {
      expect(isValidPhone(s), s).toBe(false);
    }
    expect(isValidPhone('1'.repeat(20))).toBe(true);
    expect(isValidPhone('123456')).toBe(true);
  });
});

describe('password length', () => {
  it('asks for at least 10 characters', () => {
    expect(PASSWORD_MIN).toBe(10);
  });
});
