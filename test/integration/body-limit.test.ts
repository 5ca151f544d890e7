// Request bodies are limited while they stream in (lib/auth/route.ts): a large
// body is refused with 413 after at most the limit was read, or before any
// byte when its declared length is over it.
import './helpers';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, readBodyText } from '@/lib/auth/route';
import { AppError } from '@/lib/core/errors';

/** A 50 MB body that is produced only as it is read; counts what was pulled. */
function lazyBody(total: number) {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close();
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

const FIFTY_MB = 50 * 1024 * 1024;

describe('readBodyText', () => {
  it('stops reading an undeclared 50 MB body just past the limit', async () => {
    const body = lazyBody(FIFTY_MB);
    const req = new Request('http://127.0.0.1/api/notes', { method: 'POST', body: body.stream, duplex: 'half' } as RequestInit);
    const err = await readBodyText(req, MAX_BODY_BYTES).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(413);
    expect(body.pulled()).toBeLessThan(MAX_BODY_BYTES + 256 * 1024);
  });

  it('refuses a declared 50 MB body without reading a byte', async () => {
    const body = lazyBody(FIFTY_MB);
    const req = new Request('http://127.0.0.1/api/notes', {
      method: 'POST',
      headers: { 'content-length': String(FIFTY_MB) },
      body: body.stream,
      duplex: 'half',
    } as RequestInit);
    await expect(readBodyText(req, MAX_BODY_BYTES)).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(body.pulled()).toBeLessThanOrEqual(64 * 1024); // at most what the stream buffered up front
  });

  it('reads bodies under the limit whole, in UTF-8', async () => {
    const text = JSON.stringify({ name: 'Łucja Çelik Nguyễn' });
    expect(await readBodyText(new Request('http://127.0.0.1/x', { method: 'POST', body: text }), MAX_BODY_BYTES)).toBe(text);
  });
});
