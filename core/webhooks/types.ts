import type { OutboxStatus } from '../outbox/types';

export const WEBHOOK_KIND = 'webhook';
export const ENCRYPTIONS = ['none', 'aes-256-cbc'] as const;
export type WebhookEncryption = (typeof ENCRYPTIONS)[number];
export type WebhookEndpointStatus = 'healthy' | 'failing' | 'disabled';

/** An endpoint as stored. Holds its secrets: never hand this to the API as it is. */
export interface WebhookEndpointRecord {
  seq: number;
  id: string;
  /** Live endpoints get live events, test endpoints test events (and both the shared ones). */
  livemode: boolean;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  encryption: WebhookEncryption;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: number | null;
  encryptionKey: string | null;
  health: 'healthy' | 'failing';
  failingSince: number | null;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  lastError: string | null;
  afterEventId: number;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

/** What goes in the outbox for one (message, endpoint). */
export interface WebhookPayload {
  endpointId: string;
  /** The Standard Webhooks `webhook-id`: the same on every attempt and redelivery. */
  messageId: string;
  type: string;
  /** The event this message carries; null for `webhook.test`. */
  eventId: number | null;
  /** ms: when the event happened (the body's `timestamp`). */
  occurredAt: number;
  /** Inline data for messages without an event (webhook.test). */
  data?: unknown;
}

export interface WebhookEndpointView {
  id: string;
  livemode: boolean;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  encryption: WebhookEncryption;
  status: WebhookEndpointStatus;
  failingSince: string | null;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  /** While a rotated-out secret still signs beside the new one. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Only in the response that created or rotated it. */
  secret?: string;
  /** Only in the response that created it (or switched encryption on). */
  encryptionKey?: string;
}

export interface WebhookAttemptView {
  attempt: number;
  startedAt: string;
  durationMs: number;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  responseSnippet: string | null;
}

export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  messageId: string;
  eventId: number | null;
  eventType: string;
  status: OutboxStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  attempts: WebhookAttemptView[];
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface WebhookDeliveryFilter {
  /** Only deliveries to endpoints of this mode. */
  livemode?: boolean | undefined;
  endpointId?: string | undefined;
  status?: OutboxStatus | undefined;
}
