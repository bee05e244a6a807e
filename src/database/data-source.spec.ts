import net from 'node:net';
import { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from '../common/database/pg-errors';
import { baseDataSourceOptions } from './data-source';

describe('the connection pool and a database that does not answer', () => {
  it('gives up connecting to a server that accepts and never answers (a 503, not a hang)', async () => {
    // a network partition as seen from here: the connection is accepted, nothing ever comes back
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const ds = new DataSource(
      baseDataSourceOptions(`postgres://app:secret@127.0.0.1:${port}/app`, 1, 300),
    );
    try {
      const failure = await ds.initialize().then(
        () => null,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(failure)).toBe(true);
      expect(sockets.size).toBeGreaterThan(0);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('bounds a connection attempt by default', () => {
    const extra = baseDataSourceOptions('postgres://app@127.0.0.1/app').extra as {
      connectionTimeoutMillis?: number;
    };
    expect(extra.connectionTimeoutMillis).toBeGreaterThan(0);
  });
});
