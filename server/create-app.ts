import type { PairRateLimit } from './api/devices';
import { receiptPdf } from './pdf/receipt';
import { join } from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { createCore, migrateStore, type Core } from '../core/index';
import type { Clock } from '../core/clock';
import { buildServer } from './app';
import { StoreUnavailableError } from '../core/errors';
import { deriveBaseUrl, type AppConfig } from './config';
import type { EventStreamOptions } from './api/event-stream';
import { smsDeliveryReportRoutes } from './api/notifications';
import { withRequestRedaction } from './http/log-redaction';
import { restrictSqliteFiles, secureDataDir } from './data-dir';
import { openSecretBox, type Keychain, type SecretBox } from '../core/secrets';

export interface CreateAppOptions extends Partial<AppConfig> {
  dataDir: string;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  /** How often time-driven changes (lock TTL, expiry, display results) are applied. */
  sweepIntervalMs?: number;
  /** Pairing attempts per address on the public POST /devices/pair (default 10 a minute). */
  pairRateLimit?: PairRateLimit;
  displayResultMs?: number;
  eventStream?: Partial<EventStreamOptions>;
  /** How often the Stripe keys are checked in the background (default 60 s). */
  stripeCheckIntervalMs?: number;
  /** Seals stored secrets; default: the data key of `secretsKey` or `<dataDir>/secrets.key` (core/secrets.ts). */
  secretBox?: SecretBox;
  /** The desktop app's OS keychain (Electron safeStorage): wraps `<dataDir>/secrets.key`. */
  keychain?: Keychain;
}

export interface App {
  core: Core;
  server: FastifyInstance;
  /** Set when this start generated the first (live) admin key: shown once, never stored in plain text. */
  generatedApiKey: string | undefined;
  /** …and its test-mode twin. */
  generatedTestApiKey: string | undefined;
  /** Starts listening; resolves to the base URL links use. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Where the app keeps what it keeps in its data directory, made private (0700, files 0600). */
function privateDataFiles({ dataDir, databaseUrl }: Pick<CreateAppOptions, 'dataDir' | 'databaseUrl'>): { databaseFile: string; outboxDir: string } {
  const databaseFile = join(dataDir, 'counterlink.sqlite');
  const outboxDir = join(dataDir, 'outbox');
  // The data directory holds the shop's secrets: 0700, its files 0600, whatever the umask.
  secureDataDir(dataDir, { databaseFile: databaseUrl ? undefined : databaseFile, outboxDir });
  return { databaseFile, outboxDir };
}

/**
 * Migrates the data directory's database to this build's schema, and does nothing else. The desktop
 * app runs it before its timed start: after an update a migration can take a minute on a big shop's
 * database (migration 020 rebuilt the text indexes in 56 s at a million links), and the start's
 * timeout is for a start that hangs, not for one working through the shop's data.
 */
export async function migrateDataDir(options: Pick<CreateAppOptions, 'dataDir' | 'databaseUrl'>): Promise<void> {
  const { databaseFile } = privateDataFiles(options);
  await migrateStore({ databaseFile, databaseUrl: options.databaseUrl });
}

/**
 * One way in: core + store + server, as used by the Electron main process, `npm run serve`
 * and the tests.
 */
export async function createApp(options: CreateAppOptions): Promise<App> {
  const port = options.port ?? 4780;
  const host = options.host ?? '0.0.0.0';
  const { databaseFile, outboxDir } = privateDataFiles(options);
  const secrets = options.secretBox ?? openSecretBox({ dataDir: options.dataDir, envKey: options.secretsKey, keychain: options.keychain });
  const core = await createCore({
    databaseFile,
    databaseUrl: options.databaseUrl,
    secrets,
    baseUrl: options.baseUrl ?? deriveBaseUrl(host, port),
    ...(options.clock ? { clock: options.clock } : {}),
    lockTtlMs: (options.lockTtlSeconds ?? 900) * 1000,
    ...(options.displayResultMs !== undefined ? { displayResultMs: options.displayResultMs } : {}),
    ...(options.retrySchedule ? { retrySchedule: options.retrySchedule } : {}),
    stripe: { apiUrl: options.stripeApiUrl ?? process.env.COUNTERLINK_STRIPE_API_URL, ...(options.stripeCheckIntervalMs ? { checkIntervalMs: options.stripeCheckIntervalMs } : {}) },
    messaging: {
      env: { smtpUrl: options.smtpUrl, mailFrom: options.mailFrom, smsUrl: options.smsUrl, smsAuth: options.smsAuth },
      outboxDir,
      receiptPdf,
    },
  });
  // SQLite made its -wal and -shm while opening: narrow them too (they follow the file's mode anyway).
  if (!options.databaseUrl) restrictSqliteFiles(databaseFile);

  let generatedApiKey: string | undefined;
  let generatedTestApiKey: string | undefined;
  const configured = Boolean(options.apiKey || options.testApiKey);
  if (options.apiKey) await core.apiKeys.register(options.apiKey, 'COUNTERLINK_API_KEY', 'admin', 'live');
  if (options.testApiKey) await core.apiKeys.register(options.testApiKey, 'COUNTERLINK_TEST_API_KEY', 'admin', 'test');
  if (!configured && !(await core.apiKeys.hasAny())) {
    // A new install: one key per mode, printed once.
    generatedApiKey = (await core.apiKeys.generate('First live key', 'admin', 'live')).key;
    generatedTestApiKey = (await core.apiKeys.generate('First test key', 'admin', 'test')).key;
  }

  const server = await buildServer(core, {
    trustProxy: options.trustProxy,
    dialogRateLimit: options.dialogRateLimit,
    pairRateLimit: options.pairRateLimit,
    // Credentials in request URLs (user info, token/key/secret… parameters, SMS delivery-report
    // secrets) never reach the log.
    logger: withRequestRedaction(options.logger ?? false),
    ...(options.eventStream ? { eventStream: options.eventStream } : {}),
  });
  // Public: the SMS gateway's delivery reports, authenticated by a per-message secret.
  await server.register(smsDeliveryReportRoutes(core));

  const sweepEvery = options.sweepIntervalMs ?? 1000;
  const timer = setInterval(() => {
    core.sweeper.run().catch((err: unknown) => {
      // The database away for a moment is not worth a log line a second; anything else is.
      if (!(err instanceof StoreUnavailableError)) server.log.error({ err }, 'sweeper failed');
    });
  }, sweepEvery);
  timer.unref();
  const purgeTimer = setInterval(() => void core.idempotency.purge().catch(() => undefined), 3_600_000);
  purgeTimer.unref();

  let closed = false;
  return {
    core,
    server,
    generatedApiKey,
    generatedTestApiKey,
    async listen() {
      await server.listen({ port, host });
      const address = server.server.address();
      const boundPort = typeof address === 'object' && address ? address.port : port;
      if (!options.baseUrl) core.config.baseUrl = deriveBaseUrl(host, boundPort);
      core.startWorkers();
      return core.config.baseUrl;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      clearInterval(purgeTimer);
      await server.close();
      await core.stopWorkers();
      await core.sweeper.run().catch(() => undefined);
      await core.close();
    },
  };
}
