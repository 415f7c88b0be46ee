import type { Sql } from '../sql/executor';
import type { SecretBox } from '../../secrets';
import { apiKeysRepo } from './api-keys';
import { bankRepo } from './bank';
import { devicesRepo } from './devices';
import { displaysRepo } from './displays';
import { eventsReader } from './events';
import { idempotencyRepo } from './idempotency';
import { linksRepo } from './links';
import { notificationsRepo } from './notifications';
import { outboxRepo } from './outbox';
import { paymentsRepo } from './payments';
import { pointsOfSaleRepo } from './points-of-sale';
import { refIdsRepo } from './ref-ids';
import { reportsRepo } from './reports';
import { sessionsRepo } from './sessions';
import { settingsRepo } from './settings';
import { stripeRepo } from './stripe';
import { staffUsersRepo } from './staff-users';
import { webhooksRepo } from './webhooks';

/** Every aggregate's repository over one connection (or one transaction). */
export function makeRepos(sql: Sql, secrets: SecretBox) {
  return {
    settings: settingsRepo(sql, secrets),
    apiKeys: apiKeysRepo(sql),
    sessions: sessionsRepo(sql),
    pointsOfSale: pointsOfSaleRepo(sql),
    refIds: refIdsRepo(sql),
    links: linksRepo(sql),
    payments: paymentsRepo(sql),
    eventLog: eventsReader(sql),
    idempotency: idempotencyRepo(sql),
    outbox: outboxRepo(sql),
    webhooks: webhooksRepo(sql, secrets),
    notifications: notificationsRepo(sql),
    displays: displaysRepo(sql),
    bank: bankRepo(sql),
    stripe: stripeRepo(sql),
    devices: devicesRepo(sql),
    staffUsers: staffUsersRepo(sql),
    reports: reportsRepo(sql),
  };
}

export type Repos = ReturnType<typeof makeRepos>;

const made = new WeakMap<Sql, Repos>();

/**
 * The repositories over one executor, made once: they hold no state but the executor, and a
 * request opens several transactions, so building ~300 closures for each one showed up as a
 * tenth of the customer dialog's CPU.
 */
export function reposFor(sql: Sql, secrets: SecretBox): Repos {
  let repos = made.get(sql);
  if (!repos) made.set(sql, (repos = makeRepos(sql, secrets)));
  return repos;
}
