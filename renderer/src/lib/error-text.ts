import i18n from '../i18n';
import { describeError } from './form-errors';

/**
 * Any thrown error in the UI's current language (by the problem's `type`, a network failure as
 * "server unreachable"): for stores and callbacks that have no `t` of their own.
 */
export function errorText(err: unknown): string {
  return describeError(err, (key, vars) => i18n.t(key, vars as Record<string, unknown>) as string);
}
