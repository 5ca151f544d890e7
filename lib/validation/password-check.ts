// How guessable a password is, with zxcvbn-ts and its common, German and
// English dictionaries, instead of rules of our own. Runs only in the browser
// (the server never sees a password); the dictionaries are loaded on first use,
// so pages without a password field do not carry them.
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

/** At least this many characters, and a zxcvbn score of at least PASSWORD_MIN_SCORE. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MIN_SCORE = 3;

export type PasswordVerdict = {
  score: 0 | 1 | 2 | 3 | 4;
  acceptable: boolean;
  /** Why it is weak, in the user's language ("Dies ist ein häufig verwendetes Passwort."). */
  warning: string | null;
  suggestions: string[];
};

const factories = new Map<string, Promise<ZxcvbnFactory>>();

function factory(locale: 'de' | 'en'): Promise<ZxcvbnFactory> {
  let f = factories.get(locale);
  if (!f) {
    f = (async () => {
      const [{ ZxcvbnFactory }, common, de, en] = await Promise.all([
        import('@zxcvbn-ts/core'),
        import('@zxcvbn-ts/language-common'),
        import('@zxcvbn-ts/language-de'),
        import('@zxcvbn-ts/language-en'),
      ]);
      return new ZxcvbnFactory({
        dictionary: { ...common.dictionary, ...de.dictionary, ...en.dictionary },
        graphs: common.adjacencyGraphs,
        translations: locale === 'de' ? de.translations : en.translations,
      });
    })();
    factories.set(locale, f);
  }
  return f;
}

/** userInputs: what is known about the account (short names, names), which a password must not lean on. */
export async function checkPassword(password: string, userInputs: readonly string[], locale: 'de' | 'en'): Promise<PasswordVerdict> {
  const z = await factory(locale);
  const r = z.check(password.slice(0, 100), userInputs.filter((u) => u && u.trim().length >= 3).map((u) => u.trim()));
  const score = r.score as PasswordVerdict['score'];
  return {
    score,
    acceptable: Array.from(password).length >= PASSWORD_MIN_LENGTH && score >= PASSWORD_MIN_SCORE,
    warning: r.feedback.warning || null,
    suggestions: r.feedback.suggestions ?? [],
  };
}
