// Lint: the Next.js and React hooks rules, typescript-eslint, and no import
// cycles (docs/CODE_STYLE.md). `npm run lint`; part of `npm test`.
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import { defineConfig, globalIgnores } from 'eslint/config';

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    // Cycles are looked for in our own code only; dependencies are not parsed.
    settings: { 'import/ignore': ['node_modules'] },
    rules: {
      'import/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  globalIgnores(['.next/**', 'node_modules/**', 'artifacts/**', 'test-results/**', 'playwright-report/**', 'drizzle/**', 'next-env.d.ts']),
]);
