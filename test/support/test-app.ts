import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { StaffRole, TerminalKind } from '../../src/common/auth/roles';
import { Env, loadEnv } from '../../src/config/env.schema';
import { createHttpApp, drainHttp } from '../../src/http-app';
import { Clock } from '../../src/common/time/clock';
import { LogCapture } from './log-capture';
import { StripeMock } from '../../src/dev/stripe-mock';
import { createTestDatabase, dropTestDatabase, superuserQuery } from './database';
import { loadOpenApiMetadata } from './openapi-metadata';
import { installAnswerValidation, OpenApiValidator, validateAnswersOf } from './openapi-validator';

export const ADMIN_USERNAME = 'root-admin';
export const ADMIN_PASSWORD = 'test-admin-password-1';
export const STAFF_PASSWORD = 'staff-password-123';
export const API = '/api/v1';
export const RELATIVE_PASSWORD = 'relative-password-123';

let seq = 0;
/** Unique per process, readable in failures. */
export function uniq(prefix: string): string {
  seq += 1;
  return `${prefix}${process.pid % 1000}${seq}${randomBytes(2).toString('hex')}`.toUpperCase();
}

/** Successful POSTs that change nothing (sign-in hands out a token; nothing is stored). */
const NOT_STATE_CHANGES = [/\/auth\/(staff|relatives)\/login$/];

export interface Terminal {
  id: string;
  apiKey: string;
  facilityId: string;
  kind: TerminalKind;
}

export interface Relative {
  id: string;
  email: string;
  token: string;
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
    readonly logs: LogCapture,
    /** The Stripe mock this app talks to; it delivers signed webhooks to the app. */
    readonly stripe: StripeMock,
    /** The served OpenAPI document: every answer a test receives through supertest is checked against it. */
    readonly openApi: OpenApiValidator,
  ) {}

  /** Answers that did not match the OpenAPI document (close() fails the file on any). */
  readonly openApiMismatches: string[] = [];
  private readonly stopValidating: (() => void)[] = [];

  /** Everything the application logged (JSON lines), for the checks made at close. */
  /** Request ids whose audit events a test deleted behind the database's back, on purpose. */
  readonly auditDeletedOnPurpose = new Set<string>();
  /** Values that must never appear in a log line: passwords, API keys, tokens. */
  readonly secrets = new Set<string>([ADMIN_PASSWORD, STAFF_PASSWORD, RELATIVE_PASSWORD]);

  static async start(overrides: Record<string, string> = {}): Promise<TestApp> {
    const db = await createTestDatabase();
    const stripe = new StripeMock();
    await stripe.start();
    const env = loadEnv({
      CARD_HMAC_SECRET: 'test-card-hmac-secret-0123456789-0123456789',
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_HOST: '127.0.0.1',
      STRIPE_API_PORT: String(stripe.port),
      STRIPE_API_PROTOCOL: 'http',
      DEPOSIT_RECONCILE_SECONDS: '0',
      DATABASE_URL: db.url,
      JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123456789',
      ADMIN_USERNAME,
      ADMIN_PASSWORD,
      LOG_LEVEL: 'info',
      SEED_DEMO: 'false',
      DB_POOL_SIZE: '10',
      BODY_LIMIT_BYTES: String(64 * 1024),
      // every test signs in a lot from 127.0.0.1; the throttle spec sets its own limits
      AUTH_THROTTLE_LIMIT: '100000',
      ...overrides,
    });
    const logs = new LogCapture();
    await loadOpenApiMetadata();
    const app = await createHttpApp(env, { logStream: logs });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.getHttpServer().address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const baseUrl = `http://127.0.0.1:${port}`;
    const doc = await request(baseUrl).get('/api/docs-json').expect(200);
    const openApi = new OpenApiValidator(doc.body as Record<string, unknown>);
    const res = await request(baseUrl)
      .post(`${API}/auth/staff/login`)
      .send({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD })
      .expect(200);
    stripe.webhookUrl = `${baseUrl}${API}/webhooks/stripe`;
    const token = (res.body as { accessToken: string }).accessToken;
    const t = new TestApp(app, env, db.name, baseUrl, token, logs, stripe, openApi);
    installAnswerValidation();
    t.stopValidating.push(validateAnswersOf(baseUrl, openApi, t.openApiMismatches));
    t.secrets.add(t.adminToken);
    return t;
  }

  /** A second instance of the application on the same database (as in production, behind a balancer). */
  async startTwin(
    over: Partial<Env> = {},
  ): Promise<{ http: ReturnType<typeof request>; close: () => Promise<void> }> {
    const app = await createHttpApp({ ...this.env, ...over }, { logStream: this.logs });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.getHttpServer().address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    this.stopValidating.push(validateAnswersOf(url, this.openApi, this.openApiMismatches));
    return {
      http: request(url),
      close: async () => {
        await drainHttp(app);
        await app.close();
      },
    };
  }

  /** Fixes the application's clock (null: the real time again). */
  setNow(at: Date | string | null): void {
    const clock = this.app.get(Clock);
    if (at === null) {
      delete (clock as Partial<Clock>).now;
      return;
    }
    const fixed = new Date(at);
    clock.now = () => new Date(fixed);
  }

  get http() {
    return request(this.baseUrl);
  }

  /**
   * Stops the app and drops its database, after the checks every e2e file gets for free: no
   * secret reached a log line; every successful state-changing request left an audit event; the
   * money reconciles and the audit chains verify (unless the file broke them on purpose).
   */
  async close(opts: { auditIntact?: boolean; ledgerIntact?: boolean } = {}): Promise<void> {
    try {
      expect({ openApiMismatches: this.openApiMismatches }).toEqual({ openApiMismatches: [] });
      const leaked = [...this.secrets].filter((s) => s.length >= 8 && this.logs.text().includes(s));
      expect({ secretsInLogs: leaked.map((s) => s.slice(0, 6) + '…') }).toEqual({
        secretsInLogs: [],
      });
      const writes = this.logs
        .successfulWrites()
        .filter((w) => !NOT_STATE_CHANGES.some((re) => re.test(w.url)));
      const audited = new Set(
        (
          await this.sql<{ request_id: string }>(
            'SELECT DISTINCT request_id FROM audit_events WHERE request_id IS NOT NULL',
          )
        ).map((r) => r.request_id),
      );
      const unaudited = writes
        .filter((w) => !audited.has(w.id) && !this.auditDeletedOnPurpose.has(w.id))
        .map((w) => `${w.method} ${w.url}`);
      expect({ unaudited }).toEqual({ unaudited: [] });
      if (opts.ledgerIntact !== false) {
        const rec = await request(this.baseUrl)
          .get(`${API}/ledger/reconciliation`)
          .auth(this.adminToken, { type: 'bearer' });
        expect(rec.body).toMatchObject({ ok: true, mismatches: [] });
      }
      if (opts.auditIntact !== false) {
        const pending = await this.sql<{ n: string }>('SELECT count(*) AS n FROM audit_events');
        if (Number(pending[0].n) > 0) {
          const res = await request(this.baseUrl)
            .get(`${API}/audit/verify`)
            .auth(this.adminToken, { type: 'bearer' });
          expect(res.body).toMatchObject({ ok: true, firstBrokenEventId: null });
        }
      }
    } finally {
      for (const stop of this.stopValidating) stop();
      await drainHttp(this.app);
      await this.app.close();
      await this.stripe.stop();
      await dropTestDatabase(this.dbName);
    }
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
    this.secrets.add(token);
    return { id: (res.body as { id: string }).id, token, username };
  }

  async login(username: string, password: string): Promise<string> {
    const res = await this.http
      .post(`${API}/auth/staff/login`)
      .send({ username, password })
      .expect(200);
    return (res.body as { accessToken: string }).accessToken;
  }

  /** A terminal of this facility and kind, with its API key. */
  async createTerminal(
    facilityId: string,
    kind: TerminalKind,
    name = 'Test terminal',
  ): Promise<Terminal> {
    const res = await this.http
      .post(`${API}/facilities/${facilityId}/terminals`)
      .auth(this.adminToken, { type: 'bearer' })
      .send({ kind, name })
      .expect(201);
    const body = res.body as { id: string; apiKey: string };
    this.secrets.add(body.apiKey);
    return { id: body.id, apiKey: body.apiKey, facilityId, kind };
  }

  /** A registered, signed-in relative. */
  async createRelative(): Promise<Relative> {
    const email = `${uniq('rel').toLowerCase()}@example.kz`;
    const res = await this.http
      .post(`${API}/relatives`)
      .send({ email, password: RELATIVE_PASSWORD, fullName: 'Aigerim Test', phone: '+77011234567' })
      .expect(201);
    const login = await this.http
      .post(`${API}/auth/relatives/login`)
      .send({ email, password: RELATIVE_PASSWORD })
      .expect(200);
    const token = (login.body as { accessToken: string }).accessToken;
    this.secrets.add(token);
    return { id: (res.body as { id: string }).id, email, token };
  }

  /** Asks for a link as the relative and has it approved (the admin holds visits-officer). */
  async linkRelative(
    relative: Relative,
    prisoner: { id: string; facilityId: string },
  ): Promise<string> {
    const p = await this.http
      .get(`${API}/prisoners/${prisoner.id}`)
      .auth(this.adminToken, { type: 'bearer' })
      .expect(200);
    const link = await this.http
      .post(`${API}/relatives/me/links`)
      .auth(relative.token, { type: 'bearer' })
      .send({
        facilityId: prisoner.facilityId,
        prisonerPersonalNumber: p.body.personalNumber,
        relationship: 'parent',
      })
      .expect(201);
    await this.http
      .post(`${API}/links/${link.body.id}/approve`)
      .auth(this.adminToken, { type: 'bearer' })
      .send({})
      .expect(200);
    return link.body.id as string;
  }
}
