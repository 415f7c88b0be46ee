import http from 'node:http';

export interface SseEvent {
  id: number;
  event: string;
  data: { id: number; type: string; createdAt: string; data: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A minimal SSE client over node:http: records events, and whether the server ended the stream. */
export class SseClient {
  events: SseEvent[] = [];
  status = 0;
  ended = false;
  private buffer = '';
  private request: http.ClientRequest | undefined;

  open(url: string, headers: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.request = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        this.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => this.feed(chunk));
        res.on('end', () => (this.ended = true));
        res.on('close', () => (this.ended = true));
        res.on('error', () => undefined);
        resolve();
      });
      this.request.on('error', (err) => {
        if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
      });
    });
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const i = line.indexOf(':');
        const name = i < 0 ? line : line.slice(0, i);
        fields[name] = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      }
      if (fields.data !== undefined) this.events.push({ id: Number(fields.id), event: fields.event ?? 'message', data: JSON.parse(fields.data) });
    }
  }

  async waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; have ${this.events.map((e) => `${e.id}:${e.event}`).join(' ')}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  close(): void {
    this.request?.destroy();
  }
}
