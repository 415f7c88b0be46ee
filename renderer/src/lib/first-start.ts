/**
 * The first-start screen's logic (screens/FirstStart.tsx), as plain functions: the join form's
 * fields, when it may be sent, which found hub it points at, and the words for each outcome.
 * The real checks (address, code alphabet) are the main process's (electron/lib/first-start.ts);
 * this only keeps the screen honest about what it can send.
 */
import type { FoundHubInfo, JoinFailure, JoinHubRequest } from '../bridge';

export interface JoinForm {
  address: string;
  code: string;
  name: string;
}

/** The code as typed, shown as the hub shows it: capitals, no spaces or hyphens, 8 at most. */
export function codeInput(raw: string): string {
  return raw
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 8);
}

/** Sent only when every field has something in it and the code is whole. */
export function canJoin(form: JoinForm): boolean {
  return form.address.trim() !== '' && codeInput(form.code).length === 8 && form.name.trim() !== '';
}

export function joinRequest(form: JoinForm): JoinHubRequest {
  return { address: form.address.trim(), code: codeInput(form.code), name: form.name.trim() };
}

/** The found hub the address field points at (picked from the list, or typed the same). */
export function pickedHub(hubs: readonly FoundHubInfo[], address: string): FoundHubInfo | undefined {
  const typed = address.trim().replace(/\/+$/, '').toLowerCase();
  if (typed === '') return undefined;
  return hubs.find((h) => {
    const origin = h.origin.toLowerCase();
    return origin === typed || origin === `http://${typed}` || origin.replace(/^http:\/\//, '') === typed;
  });
}

/** i18n key and values for a failed join. A wrong, used or expired code reads as the API's own problem. */
export function failureWords(reason: JoinFailure, retryAfterSeconds?: number): { key: string; values?: Record<string, unknown> } {
  switch (reason) {
    case 'code-invalid':
      return { key: 'problems.pairing-code-invalid' };
    case 'rate-limited':
      return { key: 'firstStart.errors.rateLimited', values: { seconds: retryAfterSeconds ?? 60 } };
    case 'address':
      return { key: 'firstStart.errors.address' };
    case 'code-format':
      return { key: 'firstStart.errors.codeFormat' };
    case 'name':
      return { key: 'firstStart.errors.name' };
    case 'unreachable':
      return { key: 'firstStart.errors.unreachable' };
    case 'wrong-role':
      return { key: 'firstStart.errors.wrongRole' };
    case 'not-a-hub':
      return { key: 'firstStart.errors.notAHub' };
    case 'busy':
      return { key: 'firstStart.errors.busy' };
  }
}

/** Which field a failure belongs to (its message shows there); undefined: the whole form. */
export function failureField(reason: JoinFailure): keyof JoinForm | undefined {
  if (reason === 'address' || reason === 'unreachable' || reason === 'not-a-hub') return 'address';
  if (reason === 'code-format' || reason === 'code-invalid' || reason === 'wrong-role') return 'code';
  if (reason === 'name') return 'name';
  return undefined;
}
