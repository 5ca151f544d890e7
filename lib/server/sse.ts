import 'server-only';

/** A Server-Sent-Events response whose producer gets a send function and an abort signal. */
export function sseResponse(req: Request, start: (send: (event: string, data: string, id?: number) => void, close: () => void) => Promise<() => void>): Response {
  const enc = new TextEncoder();
  let cleanup: (() => void) | undefined;
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup?.();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      const send = (event: string, data: string, id?: number) => {
        if (closed) return;
        const lines = data.split('\n').map((l) => `data: ${l}`).join('\n');
        try {
          controller.enqueue(enc.encode(`${id !== undefined ? `id: ${id}\n` : ''}${event ? `event: ${event}\n` : ''}${lines}\n\n`));
        } catch {
          close();
        }
      };
      controller.enqueue(enc.encode('retry: 2000\n\n'));
      req.signal.addEventListener('abort', close);
      try {
        cleanup = await start(send, close);
      } catch {
        close();
      }
      if (closed) cleanup?.();
    },
    cancel() {
      closed = true;
      cleanup?.();
    },
  });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    },
  });
}

export const comment = (send: (e: string, d: string) => void) => send('', '');
