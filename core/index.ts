import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { openStore } from './store/open';
import { systemClock, type Clock } from './clock';
import { EventLog } from './events';
import { SettingsService } from './settings';
import type { CoreConfig, CoreContext } from './context';
import { DisplayService } from './display/service';
import { PublicDisplayService } from './display/public';
import { PaymentMethods } from './payments/methods/registry';
import { simulatorProvider } from './payments/methods/simulator';
import { sepaTransferProvider } from './payments/methods/sepa-transfer';
import { bankTransferSection } from './banking/settings';
import { StripeGateway, stripeProvider, stripeSection, type StripeGatewayOptions } from './payments/methods/stripe';
import { StripeEvents } from './payments/stripe-events';
import { BankService } from './banking/service';
import { PaymentTransitions } from './payments/transitions';
import { Sweeper } from './sweeper';
import { LinksService } from './links/service';
import { PaymentsService } from './payments/service';
import { PointsOfSaleService } from './points-of-sale';
import { ChargesService } from './charges';
import { ApiKeysService } from './api-keys';
import { SessionsService } from './sessions';
import { DevicesService } from './devices';
import { StaffUsersService } from './staff-users';
import { IdempotencyService } from './idempotency';
import type { OutboxWorker } from './outbox/outbox';
import { NotificationsService } from './notifications/service';
import type { MessagingEnv } from './notifications/config';
import { WebhooksService } from './webhooks/service';
import { callbackUrlsSection } from './webhooks/callback-urls';
import { DayReportService } from './reports/day';
import { ReceiptsService, type Receipt } from './receipts/service';
import { ExportService } from './reports/export';
import { AesGcmSecretBox, openSecretBox, sealStoredSecrets, type SecretBox } from './secrets';

export interface CoreOptions {
  /** SQLite file path (or ':memory:'); also where the local outbox folder goes. */
  databaseFile: string;
  /** `postgres://…`: keep everything in PostgreSQL instead (COUNTERLINK_DATABASE_URL). */
  databaseUrl?: string | undefined;
  clock?: Clock;
  baseUrl: string;
  lockTtlMs?: number;
  displayResultMs?: number;
  retrySchedule?: number[];
  /** Email/SMS: environment overrides and the local outbox folder (default: {database dir}/outbox). */
  messaging?: { env?: MessagingEnv; outboxDir?: string; receiptPdf?: (receipt: Receipt) => Promise<Buffer> };
  /** Stripe: COUNTERLINK_STRIPE_API_URL and how often the keys are checked in the background. */
  stripe?: StripeGatewayOptions;
  /**
   * Seals the secrets the store keeps (core/secrets.ts). Default: the data key in `secrets.key`
   * beside the database file (made on first start); an in-memory database gets a throwaway key.
   */
  secrets?: SecretBox;
}

export type Core = Awaited<ReturnType<typeof createCore>>;

/**
 * Brings the store up to this build's schema (its numbered migrations) and closes it again. Opening
 * the store does the same; this lets a caller do it first, on its own: see `migrateDataDir`.
 */
export async function migrateStore(options: Pick<CoreOptions, 'databaseFile' | 'databaseUrl'>): Promise<void> {
  const store = await openStore({ databaseFile: options.databaseFile, databaseUrl: options.databaseUrl });
  await store.close();
}

/** Opens the store and wires the services. No HTTP, no Electron: the server and tests call this. */
export async function createCore(options: CoreOptions) {
  const secrets =
    options.secrets ?? (options.databaseFile === ':memory:' && !options.databaseUrl ? AesGcmSecretBox.ephemeral() : openSecretBox({ dataDir: dirname(options.databaseFile) }));
  const store = await openStore({ databaseFile: options.databaseFile, databaseUrl: options.databaseUrl, secrets });
  try {
    await sealStoredSecrets(store, secrets);
  } catch (err) {
    await store.close();
    throw err;
  }
  const clock = options.clock ?? systemClock;
  const config: CoreConfig = {
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    lockTtlMs: options.lockTtlMs ?? 900_000,
    displayResultMs: options.displayResultMs ?? 6_000,
    retrySchedule: options.retrySchedule,
  };
  const settings = new SettingsService(store);
  const methods = new PaymentMethods();
  methods.register(simulatorProvider(() => config.baseUrl));
  methods.register(sepaTransferProvider(settings, () => config.baseUrl));
  // `fresh` and `freshRead` become the sweeper's once the sweeper exists (it needs services built from ctx).
  const ctx: CoreContext = { store, clock, events: new EventLog(store, clock), settings, config, methods, fresh: () => Promise.resolve(), freshRead: (fn) => store.read(fn) };
  const stripeGateway = new StripeGateway(ctx, options.stripe);
  methods.register(stripeProvider(ctx, stripeGateway));
  const display = new DisplayService(ctx);
  const transitions = new PaymentTransitions(ctx, display);
  const sweeper = new Sweeper(ctx, transitions, display);
  ctx.fresh = () => sweeper.run();
  ctx.freshRead = (fn) => sweeper.read(fn);
  const links = new LinksService(ctx, transitions, display);
  const payments = new PaymentsService(ctx, transitions, display);
  const pointsOfSale = new PointsOfSaleService(ctx);
  const charges = new ChargesService(ctx, links, display, payments);
  const apiKeys = new ApiKeysService(ctx);
  const sessions = new SessionsService(ctx);
  const devices = new DevicesService(ctx);
  const staffUsers = new StaffUsersService(ctx);
  const idempotency = new IdempotencyService(ctx);
  const publicDisplay = new PublicDisplayService(ctx, display, links, pointsOfSale);
  await pointsOfSale.ensureDefault();
  // Outbox workers (email, SMS, webhooks) register here; the app starts and stops them.
  const workers: Pick<OutboxWorker, 'kind' | 'start' | 'stop' | 'kick'>[] = [];
  const receipts = new ReceiptsService(ctx);
  const notifications = new NotificationsService(ctx, links, receipts, {
    env: options.messaging?.env ?? {},
    outboxDir: options.messaging?.outboxDir ?? defaultOutboxDir(options.databaseFile),
    ...(options.messaging?.receiptPdf ? { receiptPdf: options.messaging.receiptPdf } : {}),
  });
  workers.push(...notifications.workers);
  // A payment that succeeds queues its receipt email in the same transaction.
  transitions.onSucceeded(async (t, payment) => void (await notifications.queueReceiptIn(t, payment)));
  const webhooks = new WebhooksService(ctx);
  workers.push(webhooks.dispatcher);
  ctx.settings.register(callbackUrlsSection(ctx.settings));
  ctx.settings.register(bankTransferSection(ctx.settings));
  ctx.settings.register(stripeSection(ctx.settings, stripeGateway));
  // Stripe: refunds and session expiries through the outbox; the availability check beside them.
  const stripeEvents = new StripeEvents(ctx, stripeGateway, transitions);
  workers.push(stripeEvents.refundWorker, stripeEvents.expireWorker, stripeGateway);
  const bank = new BankService(ctx, transitions, payments);
  const dayReports = new DayReportService(ctx);
  const exports = new ExportService(ctx);
  await receipts.ensureKey();
  ctx.settings.register(receipts.section());

  return {
    ctx,
    store,
    clock,
    config,
    events: ctx.events,
    settings: ctx.settings,
    display,
    publicDisplay,
    bank,
    dayReports,
    receipts,
    exports,
    methods,
    stripe: { gateway: stripeGateway, events: stripeEvents },
    transitions,
    sweeper,
    links,
    payments,
    pointsOfSale,
    charges,
    apiKeys,
    sessions,
    devices,
    staffUsers,
    idempotency,
    webhooks,
    notifications,
    workers,
    startWorkers(): void {
      for (const w of workers) w.start();
    },
    async stopWorkers(): Promise<void> {
      await Promise.all(workers.map((w) => w.stop()));
    },
    /** Stops the workers first: a delivery must never record its outcome into a closed store. */
    async close(): Promise<void> {
      await Promise.all(workers.map((w) => w.stop()));
      notifications.close();
      await store.close();
    },
  };
}

/** Where email and SMS land when no SMTP server or SMS gateway is set: beside the database. */
function defaultOutboxDir(databaseFile: string): string {
  return databaseFile === ':memory:' ? join(tmpdir(), `counterlink-outbox-${process.pid}`) : join(dirname(databaseFile), 'outbox');
}
