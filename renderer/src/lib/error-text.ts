import i18n from '../i18n';
import { describeError } from './form-errors';
import { ApiError } from '../api/client';

/**
 * Any thrown error in the UI's current language (by the problem's `type`, a network failure as
 * "server unreachable"): for stores and callbacks that have no `t` of their own.
 */
export function errorText(err: unknown): string {
  return describeError(err, (key, vars) => i18n.t(key, vars as Record<string, unknown>) as string);
}

const LOGIN_CODES: Record<string, string> = { 'pin-wrong': 'login.wrongPin', 'pin-not-set': 'login.noPin', 'api-key-invalid': 'login.wrongKey' };

/** A refused sign-in says why (wrong PIN, no PIN yet, bad key), not "your session has ended". */
export function loginErrorText(err: unknown): string {
  if (err instanceof ApiError && err.status === 401) {
    const key = typeof err.problem.code === 'string' ? LOGIN_CODES[err.problem.code] : undefined;
    return i18n.t(key ?? 'login.wrongPin');
  }
  return errorText(err);
}
