import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { readSigningKey } from './signing-key';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
};
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * The one typed, validated view of the process environment. Every setting the app reads is here,
 * with its default; `loadEnv` refuses to boot on a bad value and names the variable.
 */
export class Env {
  /** PostgreSQL connection URL. When absent, an embedded PostgreSQL is started (development). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** HTTP port. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Interface to listen on. */
  @IsString()
  HOST = '127.0.0.1';

  /** HMAC secret for access tokens (at least 32 characters). Required with DATABASE_URL. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;

  /** Lifetime of an access token, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(24 * 3600)
  JWT_TTL_SECONDS = 900;

  /** Username of the first-start national account holding every role. */
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{2,63}$/, {
    message: 'ADMIN_USERNAME must be 3-64 characters: lowercase letters, digits, . _ -',
  })
  ADMIN_USERNAME = 'admin';

  /** Password of the first-start account. Required with DATABASE_URL on an empty database. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters long' })
  @MaxLength(128)
  ADMIN_PASSWORD?: string;

  /** pino log level. */
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /** Load the demo facilities and prisoners at start (default: on with the embedded database). */
  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean({ message: 'SEED_DEMO must be true or false' })
  SEED_DEMO?: boolean;

  /**
   * `json`: one JSON line per event; `pretty`: readable lines (pino-pretty); `auto`: pretty on a
   * terminal unless NODE_ENV=production, JSON otherwise.
   */
  @IsIn(['auto', 'json', 'pretty'], { message: 'LOG_FORMAT must be auto, json or pretty' })
  LOG_FORMAT: 'auto' | 'json' | 'pretty' = 'auto';

  /** Where the embedded PostgreSQL keeps its data. */
  @IsString()
  DATA_DIR = '.data';

  /** Directory of the policy files loaded at start (baseline, reform, MCI). */
  @IsString()
  POLICY_DIR = 'config/policies';

  /**
   * Least time between publishing a policy version and its taking effect, by the database's
   * clock: every instance must know of it before it applies (each re-checks every quarter of it).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 86400)
  POLICY_MIN_LEAD_SECONDS = 60;

  /** Largest accepted request body, in bytes (bigger → 413). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  BODY_LIMIT_BYTES = 1024 * 1024;

  /** Size of the database connection pool per app instance. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 20;

  /**
   * How long opening a database connection may take before the request gets 503
   * DATABASE_UNAVAILABLE (a database that accepts and never answers must not hang requests).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(120)
  DB_CONNECT_TIMEOUT_SECONDS = 5;

  /**
   * A session of the app left idle inside a transaction this long is ended by PostgreSQL (its
   * transaction rolled back): a request stuck half-way must not hold locks, vacuum or the audit
   * list for ever. 0: never.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  DB_IDLE_IN_TRANSACTION_SECONDS = 60;

  /**
   * On SIGTERM or SIGINT: requests in flight are let finish (new ones get 503) for most of this,
   * then the process exits, by this many seconds at the latest (keep it under the orchestrator's
   * grace period, 30 s in Kubernetes).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600)
  SHUTDOWN_TIMEOUT_SECONDS = 25;

  /** Sign-in and registration requests allowed per client address per AUTH_THROTTLE_TTL. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_THROTTLE_LIMIT = 20;

  /** The window of AUTH_THROTTLE_LIMIT, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  AUTH_THROTTLE_TTL = 60;

  /**
   * Failed sign-ins to one account from one client address (IPv6: its /64) within
   * AUTH_LOCKOUT_SECONDS before that client is locked out of that account (429).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  AUTH_MAX_FAILURES = 10;

  /** The window of AUTH_MAX_FAILURES, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  AUTH_LOCKOUT_SECONDS = 900;

  /**
   * Failed sign-ins to one account from every client together within AUTH_LOCKOUT_SECONDS before
   * the account is locked for clients it has not signed in from (where it has, it still can).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  AUTH_ACCOUNT_MAX_FAILURES = 100;

  /** Days a client address an account signed in from stays one it may sign in from when locked. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  AUTH_KNOWN_CLIENT_DAYS = 90;

  /** Trust X-Forwarded-For from a reverse proxy for the client address (only behind one). */
  @Transform(toBoolean)
  @IsBoolean({ message: 'TRUST_PROXY must be true or false' })
  TRUST_PROXY = false;

  /** HMAC key for looking cards up by number (≥ 32 characters). Required in production. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'CARD_HMAC_SECRET must be at least 32 characters long' })
  CARD_HMAC_SECRET?: string;

  /** Stripe secret key. Unset outside production: a local Stripe mock is started. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(sk|rk)_(test|live)_\S+$/, {
    message: 'STRIPE_SECRET_KEY must look like sk_test_… or sk_live_…',
  })
  STRIPE_SECRET_KEY?: string;

  /**
   * Stripe publishable key (pk_…) for the relatives' page: with a real STRIPE_SECRET_KEY, the card
   * is entered in Stripe's Payment Element. Unset: the page offers no card payment (the local mock
   * needs none: its test-card form is served instead).
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^pk_(test|live)_\S+$/, {
    message: 'STRIPE_PUBLISHABLE_KEY must look like pk_test_… or pk_live_…',
  })
  STRIPE_PUBLISHABLE_KEY?: string;

  /** Signing secret of the webhook endpoint (whsec_…). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^whsec_\S+$/, { message: 'STRIPE_WEBHOOK_SECRET must look like whsec_…' })
  STRIPE_WEBHOOK_SECRET?: string;

  /** Stripe API host (a mock's, in development); the SDK's default when unset. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  STRIPE_API_HOST?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  STRIPE_API_PORT?: number;

  @IsOptional()
  @IsIn(['http', 'https'])
  STRIPE_API_PROTOCOL?: 'http' | 'https';

  /** How often to ask Stripe about deposits still pending (a lost webhook must not lose money); 0 = never. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  DEPOSIT_RECONCILE_SECONDS = 60;

  /** Deposits pending longer than this are looked up at Stripe by the reconciliation. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  DEPOSIT_RECONCILE_AFTER_SECONDS = 120;

  /**
   * The Ed25519 private key that signs audit checkpoints: PKCS#8 PEM (newlines may be written
   * `\n`) or base64 DER (`openssl genpkey -algorithm ed25519`). Required in production; generated
   * into DATA_DIR with the embedded database; otherwise a key made for the run (checkpoints it
   * signed cannot be checked after a restart).
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUDIT_SIGNING_KEY?: string;

  /** How often the service takes and keeps a signed checkpoint of the audit trail; 0 = never. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(7 * 86400)
  AUDIT_CHECKPOINT_SECONDS = 3600;

  /**
   * How often to close payphone calls never reported as ended (past their maximum duration and a
   * grace period: the hold released, nothing charged); 0 = never.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  PAYPHONE_SWEEP_SECONDS = 30;

  /** `production` makes secrets mandatory. */
  @IsOptional()
  @IsIn(['development', 'test', 'production'])
  NODE_ENV?: 'development' | 'test' | 'production';
}

export class ConfigError extends Error {}

/** Validates `source` (normally `process.env`); throws a ConfigError naming every bad variable. */
export function loadEnv(source: Record<string, string | undefined>): Env {
  const known = Object.keys(new Env());
  const optional = [
    'DATABASE_URL',
    'JWT_SECRET',
    'ADMIN_PASSWORD',
    'SEED_DEMO',
    'NODE_ENV',
    'CARD_HMAC_SECRET',
    'AUDIT_SIGNING_KEY',
  ];
  const stripe = [
    'STRIPE_SECRET_KEY',
    'STRIPE_WEBHOOK_SECRET',
    'STRIPE_PUBLISHABLE_KEY',
    'STRIPE_API_HOST',
    'STRIPE_API_PORT',
    'STRIPE_API_PROTOCOL',
  ];
  const picked: Record<string, unknown> = {};
  for (const key of [...known, ...optional, ...stripe]) {
    if (source[key] !== undefined) picked[key] = source[key];
  }
  const env = plainToInstance(Env, picked);
  const errors = validateSync(env, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    const lines = errors.flatMap((e) =>
      Object.values(e.constraints ?? {}).map((m) => `  - ${e.property}: ${m}`),
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (env.AUDIT_SIGNING_KEY) {
    try {
      readSigningKey(env.AUDIT_SIGNING_KEY);
    } catch (err) {
      throw new ConfigError(
        `Invalid configuration:\n  - AUDIT_SIGNING_KEY: ${(err as Error).message}`,
      );
    }
  }
  if (env.NODE_ENV === 'production') {
    const missing = [
      'JWT_SECRET',
      'CARD_HMAC_SECRET',
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRET',
      'AUDIT_SIGNING_KEY',
    ].filter((k) => !env[k as keyof Env]);
    if (missing.length) {
      throw new ConfigError(
        `Invalid configuration:\n${missing.map((k) => `  - ${k}: required when NODE_ENV=production`).join('\n')}`,
      );
    }
  }
  if (Boolean(env.STRIPE_SECRET_KEY) !== Boolean(env.STRIPE_WEBHOOK_SECRET)) {
    throw new ConfigError(
      'Invalid configuration:\n  - STRIPE_WEBHOOK_SECRET: give it together with STRIPE_SECRET_KEY',
    );
  }
  return env;
}
