import { Writable } from 'node:stream';

interface RequestLine {
  msg?: string;
  req?: { id?: string; method?: string; url?: string };
  res?: { statusCode?: number; replayed?: boolean };
}

/** A pino destination that keeps every line in memory (and echoes them with TEST_LOG_ECHO=1). */
export class LogCapture extends Writable {
  private readonly chunks: string[] = [];

  override _write(
    chunk: Buffer | string,
    _enc: BufferEncoding,
    done: (err?: Error | null) => void,
  ): void {
    const s = chunk.toString();
    this.chunks.push(s);
    if (process.env.TEST_LOG_ECHO) process.stdout.write(s);
    done();
  }

  text(): string {
    return this.chunks.join('');
  }

  lines(): RequestLine[] {
    return this.text()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as RequestLine);
  }

  /** Requests answered 2xx with a method that may change state. */
  successfulWrites(): Array<{ id: string; method: string; url: string }> {
    return this.lines()
      .filter(
        (l) =>
          l.msg === 'request completed' &&
          ['POST', 'PUT', 'PATCH', 'DELETE'].includes(l.req?.method ?? '') &&
          (l.res?.statusCode ?? 0) >= 200 &&
          (l.res?.statusCode ?? 0) < 300 &&
          !l.res?.replayed,
      )
      .map((l) => ({ id: l.req!.id!, method: l.req!.method!, url: l.req!.url! }));
  }
}
