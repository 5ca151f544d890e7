// Server-Sent Events over fetch, so the stream can carry an auth header (the
// call token must not sit in a URL, where logs would keep it). Reconnects with
// Last-Event-ID until closed; a 401/404/410 ends it for good.

export type SseEvent = { event: string; data: string; id?: string };

export type SseHandle = { close: () => void };

export function openEventStream(
  url: string,
  opts: {
    headers?: Record<string, string>;
    onEvent: (e: SseEvent) => void;
    onOpen?: () => void;
    onDown?: () => void;
    onFatal?: (status: number) => void;
  },
): SseHandle {
  const ctrl = new AbortController();
  let lastId: string | undefined;
  let closed = false;
  let delay = 500;

  const run = async () => {
    while (!closed) {
      try {
        const res = await fetch(url, {
          headers: { accept: 'text/event-stream', ...opts.headers, ...(lastId ? { 'last-event-id': lastId } : {}) },
          cache: 'no-store',
          credentials: 'same-origin',
          signal: ctrl.signal,
        });
        if (res.status === 401 || res.status === 403 || res.status === 404 || res.status === 410) {
          closed = true;
          opts.onFatal?.(res.status);
          return;
        }
        if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
        delay = 500;
        opts.onOpen?.();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let idx: number;
          while ((idx = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, idx);
            buf = buf.slice(idx + 2);
            let event = 'message';
            const data: string[] = [];
            let id: string | undefined;
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) continue;
              const c = line.indexOf(':');
              const field = c < 0 ? line : line.slice(0, c);
              const val = c < 0 ? '' : line.slice(c + 1).replace(/^ /, '');
              if (field === 'event') event = val;
              else if (field === 'data') data.push(val);
              else if (field === 'id') id = val;
            }
            if (id) lastId = id;
            if (data.length && event !== 'ping') opts.onEvent({ event, data: data.join('\n'), id });
          }
        }
      } catch {
        if (closed) return;
      }
      if (closed) return;
      opts.onDown?.();
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 8000);
    }
  };
  void run();
  return {
    close: () => {
      closed = true;
      ctrl.abort();
    },
  };
}
