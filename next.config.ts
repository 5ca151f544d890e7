import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

const withNextIntl = createNextIntlPlugin('./i18n/request.ts');

const securityHeaders = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
  { key: 'Permissions-Policy', value: 'camera=(self), microphone=(self), geolocation=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules at runtime.
  serverExternalPackages: ['@electric-sql/pglite'],
  poweredByHeader: false,
  // The viewer's codecs (emscripten builds in @cornerstonejs/codec-*) mention
  // Node's fs and path for a Node run they never take in a browser; the wasm
  // files and the decode worker are referenced with new URL(…, import.meta.url),
  // which webpack emits as assets and a worker chunk of their own under
  // /_next/static. (Production builds use webpack: `next build --webpack`.)
  webpack(config, { isServer }) {
    if (!isServer) {
      config.resolve.fallback = { ...config.resolve.fallback, fs: false, path: false };
    }
    // Webpack builds also write a type file per route (NextTypesPlugin) that
    // Turbopack builds do not; it rejects route()'s optional context argument,
    // which the check both bundlers share (.next/types/validator.ts) accepts.
    // Left out, so the build checks types as it did under Turbopack.
    config.plugins = config.plugins.filter((p: { constructor?: { name?: string } }) => p?.constructor?.name !== 'NextTypesPlugin');
    return config;
  },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default withNextIntl(nextConfig);
