import { toIso, toIsoOrNull } from '../clock';
import type { OutboxAttempt, OutboxMessage } from '../outbox/types';
import type { WebhookDeliveryView, WebhookEndpointRecord, WebhookEndpointView, WebhookPayload } from './types';

/** The endpoint as the API shows it: never its secrets (the caller adds them to a create/rotate response). */
export function endpointView(e: WebhookEndpointRecord, now: number): WebhookEndpointView {
  const overlap = e.previousSecret !== null && e.previousSecretExpiresAt !== null && now < e.previousSecretExpiresAt;
  return {
    id: e.id,
    livemode: e.livemode,
    url: e.url,
    description: e.description,
    events: e.events,
    enabled: e.enabled,
    encryption: e.encryption,
    status: e.enabled ? e.health : 'disabled',
    failingSince: toIsoOrNull(e.failingSince),
    lastSuccessAt: toIsoOrNull(e.lastSuccessAt),
    lastFailureAt: toIsoOrNull(e.lastFailureAt),
    lastError: e.lastError,
    previousSecretExpiresAt: overlap ? toIso(e.previousSecretExpiresAt!) : null,
    createdAt: toIso(e.createdAt),
    updatedAt: toIso(e.updatedAt),
  };
}

export function deliveryView(m: OutboxMessage<WebhookPayload>, attempts: OutboxAttempt[]): WebhookDeliveryView {
  return {
    id: m.id,
    endpointId: m.payload.endpointId,
    messageId: m.payload.messageId,
    eventId: m.payload.eventId,
    eventType: m.payload.type,
    status: m.status,
    attemptCount: m.attempts,
    nextAttemptAt: m.status === 'queued' ? toIso(m.nextAttemptAt) : null,
    lastError: m.lastError,
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      startedAt: toIso(a.startedAt),
      durationMs: a.durationMs,
      ok: a.ok,
      statusCode: a.statusCode,
      error: a.error,
      responseSnippet: a.responseSnippet,
    })),
    createdAt: toIso(m.createdAt),
    updatedAt: toIso(m.updatedAt),
    finishedAt: toIsoOrNull(m.finishedAt),
  };
}
