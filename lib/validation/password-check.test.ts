import { describe, expect, it } from 'vitest';
import { checkPassword, PASSWORD_MIN_LENGTH } from './password-check';

describe('checkPassword (zxcvbn-ts, common + German + English dictionaries)', () => {
  it('refuses common, German and breached-list passwords, and short ones, with a reason', async () => {
    for (const pw of ['passwort123', 'Sommer2024!', 'qwertzuiop', 'Hallo12345', 'Fussball1!', 'Passwort!1']) {
      const v = await checkPassword(pw, [], 'de');
      expect(v.acceptable, pw).toBe(false);
    }
    const common = await checkPassword('passwort123', [], 'de');
    expect(common.warning ?? common.suggestions.join(' ')).toMatch(/\S/);
    expect((await checkPassword('Xk9#mQ2v', [], 'de')).acceptable).toBe(false); // strong but under PASSWORD_MIN_LENGTH
    expect(PASSWORD_MIN_LENGTH).toBe(10);
  });

  it('refuses a password built on the account\'s own names', async () => {
    expect((await checkPassword('praxismueller2026', ['praxismueller', 'dr.mueller'], 'de')).acceptable).toBe(false);
  });

  it('accepts passphrases and random passwords', async () => {
    for (const pw of ['Wiese9Nord#Wald!', 'Linde#Weg7Blau', 'grüner Baum am stillen Fluss', 'Tanne!Fluss3Rot']) {
      expect((await checkPassword(pw, [], 'de')).acceptable, pw).toBe(true);
    }
  });

  it('explains in the user\'s language', async () => {
    const de = await checkPassword('passwort', [], 'de');
    const en = await checkPassword('password', [], 'en');
    expect(de.warning).not.toBe(en.warning);
  });
});
