import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { StaffRole } from '../../src/common/auth/roles';
import { Env, loadEnv } from '../../src/config/env.schema';
import { createHttpApp } from '../../src/http-app';
import { createTestDatabase, dropTestDatabase, superuserQuery } from './database';

export const ADMIN_USERNAME = 'root-admin';
export const ADMIN_PASSWORD = 'test-admin-password-1';
export const STAFF_PASSWORD = 'staff-password-123';
export const API = '/api/v1';

let seq = 0;
/** Unique per process, readable in failures. */
export function uniq(prefix: string): string {
  seq += 1;
  return `${prefix}${process.pid % 1000}${seq}${randomBytes(2).toString('hex')}`.toUpperCase();
}

export interface Staff {
  id: string;
  token: string;
  username: string;
}

/**
 * The whole application on its own database (cloned from the migrated template), listening on
 * 127.0.0.1 so tests can fire real parallel requests; with helpers to build data through the API.
 */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly env: Env,
    readonly dbName: string,
    readonly baseUrl: string,
    readonly adminToken: string,
  ) {}

  static async start(overrides: Record<string, string> = {}): Promise<TestApp> {
    const db = await createTestDatabase();
    const env = loadEnv({
      DATABASE_URL: db.url,
      JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123456789',
      ADMIN_USERNAME,
      ADMIN_PASSWORD,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      SEED_DEMO: 'false',
      DB_POOL_SIZE: '10',
      BODY_LIMIT_BYTES: String(64 * 1024),
      ...overrides,
    });
    const app = await createHttpApp(env);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.getHttpServer().address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const baseUrl = `http://127.0.0.1:${port}`;
    const res = await request(baseUrl)
      .post(`${API}/auth/staff/login`)
      .send({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD })
      .expect(200);
    return new TestApp(
      app,
      env,
      db.name,
      baseUrl,
      (res.body as { accessToken: string }).accessToken,
    );
  }

  get http() {
    return request(this.baseUrl);
  }

  async close(): Promise<void> {
    await this.app.close();
    await dropTestDatabase(this.dbName);
  }

  sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    return superuserQuery<T>(this.dbName, text, params);
  }

  async createFacility(
    over: Partial<{ code: string; name: string; timeZone: string }> = {},
  ): Promise<{ id: string; code: string; timeZone: string }> {
    const res = await this.http
      .post(`${API}/facilities`)
      .auth(this.adminToken, { type: 'bearer' })
      .send({ code: uniq('F-'), name: 'Test colony', timeZone: 'Asia/Almaty', ...over })
      .expect(201);
    return res.body as { id: string; code: string; timeZone: string };
  }

  async createPrisoner(
    facilityId: string,
    over: Partial<{
      personalNumber: string;
      fullName: string;
      securityLevel: string;
      conditions: string;
    }> = {},
  ): Promise<{ id: string; facilityId: string; conditions: string }> {
    const res = await this.http
      .post(`${API}/facilities/${facilityId}/prisoners`)
      .auth(this.adminToken, { type: 'bearer' })
      .send({
        personalNumber: uniq('P'),
        fullName: 'Test Prisoner',
        securityLevel: 'medium',
        ...over,
      })
      .expect(201);
    return res.body as { id: string; facilityId: string; conditions: string };
  }

  /** A staff account with these roles and facilities (`[]` = national), signed in. */
  async createStaff(
    roles: StaffRole[],
    facilityIds: string[],
    asToken = this.adminToken,
  ): Promise<Staff> {
    const username = uniq('u').toLowerCase();
    const res = await this.http
      .post(`${API}/staff`)
      .auth(asToken, { type: 'bearer' })
      .send({ username, password: STAFF_PASSWORD, fullName: 'Test Officer', roles, facilityIds })
      .expect(201);
    const token = await this.login(username, STAFF_PASSWORD);
    return { id: (res.body as { id: string }).id, token, username };
  }

  async login(username: string, password: string): Promise<string> {
    const res = await this.http
      .post(`${API}/auth/staff/login`)
      .send({ username, password })
      .expect(200);
    return (res.body as { accessToken: string }).accessToken;
  }
}
