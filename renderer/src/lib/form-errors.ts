import type { Problem } from '../api/types';
import { ApiError } from '../api/client';

/** Errors of one form: per field (by the form's field names) and the rest, shown above the buttons. */
export interface FormErrors {
  fields: Record<string, string[]>;
  general: string[];
}

export const NO_ERRORS: FormErrors = { fields: {}, general: [] };

/** Problem types that are about one field although they are not validation errors. */
const FIELD_OF_PROBLEM: Record<string, string> = {
  'ref-id-conflict': 'refIdBase',
  'link-has-payments': 'amount',
  'refund-exceeds-remaining': 'amount',
  'amount-too-low': 'amount',
};

export type Translate = (key: string, vars?: Record<string, unknown>) => string;

/**
 * The schema validator's messages ("must NOT have fewer than 1 characters") in words a shop
 * owner reads, in the UI's language. The domain's own messages are plain English already and
 * pass through unchanged.
 */
export function humanizeMessage(message: string, t?: Translate): string {
  if (!t) return message;
  let m: RegExpExecArray | null;
  if (message === 'is required' || message === 'must not be empty' || message === 'must NOT have fewer than 1 characters') return t('errors.required');
  if ((m = /^must NOT have fewer than (\d+) characters$/.exec(message))) return t('errors.minLength', { n: m[1] });
  if ((m = /^must NOT have more than (\d+) characters$/.exec(message))) return t('errors.maxLength', { n: m[1] });
  if ((m = /^must be >= (-?\d+)$/.exec(message))) return t('errors.min', { n: m[1] });
  if ((m = /^must be <= (-?\d+)$/.exec(message))) return t('errors.max', { n: m[1] });
  if (message === 'must be integer') return t('errors.integer');
  if (/^must match pattern /.test(message)) return t('errors.pattern');
  if (/^must be (string|number|null|boolean|object)$/.test(message) || message === 'must match a schema in anyOf') return t('errors.invalid');
  if (message === 'is not a valid email address') return t('errors.email');
  if (message === 'is not a valid phone number') return t('errors.phone');
  if (message === 'must lie in the future') return t('errors.future');
  if ((m = /^([A-Z]{3}) allows at most (\d+) decimals?$/.exec(message))) return t('errors.decimals', { currency: m[1], n: m[2] });
  if (/^must be a positive decimal amount/.test(message)) return t('errors.amount');
  return message;
}

/**
 * A field error's stable `code` (and `params`) in the UI's language (DESIGN.md: translate by code,
 * not by message); undefined when the UI has no words for that code, so the message is used.
 */
export function translateCode(code: string, params: Record<string, unknown> | undefined, t?: Translate): string | undefined {
  if (!t || !/^[a-z0-9-]+$/.test(code)) return undefined;
  const text = t(`errorCodes.${code}`, { ...(params ?? {}), defaultValue: '' });
  return text && text !== `errorCodes.${code}` ? text : undefined;
}

/**
 * A problem that is not about one field, in the UI's language: by its stable `type` (with the
 * problem's own members as values), else the server's English `detail`.
 */
export function problemText(problem: Problem, t?: Translate): string {
  const fallback = problem.detail || problem.title || problem.type;
  if (!t || !/^[a-z0-9-]+$/.test(problem.type)) return fallback;
  const key = `problems.${problem.type}`;
  const text = t(key, { ...problem, defaultValue: '' });
  return text && text !== key ? text : fallback;
}

/** "metadata.note" -> "metadata", "lineItems[0].name" / "lineItems.0.name" -> "lineItems". */
export function topField(path: string): string {
  return path.split(/[.[]/)[0] ?? path;
}

/**
 * Maps a problem+json (`errors[].path`) to the fields of a form. `aliases` folds API paths onto
 * one form field (expiresAt, expiresOn and expiresInMinutes are one "expiry" control); paths
 * the form has no field for go to `general`, prefixed with the path so nothing is lost.
 */
export function problemToFormErrors(problem: Problem, knownFields: Iterable<string>, aliases: Record<string, string> = {}, t?: Translate): FormErrors {
  const known = new Set(knownFields);
  const out: FormErrors = { fields: {}, general: [] };
  const add = (field: string, message: string): void => {
    (out.fields[field] ??= []).push(message);
  };
  const fieldFor = (path: string): string | undefined => {
    const top = topField(path);
    const mapped = aliases[path] ?? aliases[top] ?? top;
    return known.has(mapped) ? mapped : undefined;
  };

  if (problem.type === 'validation-error' && Array.isArray(problem.errors) && problem.errors.length > 0) {
    for (const e of problem.errors) {
      const field = fieldFor(e.path);
      const message = (e.code ? translateCode(e.code, e.params, t) : undefined) ?? humanizeMessage(e.message, t);
      // A nested path named by an alias of its own ("bankTransfer.iban" -> iban) is that field's.
      const own = aliases[e.path] !== undefined;
      if (field) add(field, !own && e.path !== field && e.path.startsWith(`${topField(e.path)}.`) ? `${e.path.slice(topField(e.path).length + 1)}: ${message}` : message);
      else out.general.push(e.path === '(body)' ? message : `${e.path}: ${message}`);
    }
    return out;
  }
  const field = FIELD_OF_PROBLEM[problem.type];
  if (field && known.has(aliases[field] ?? field)) {
    add(aliases[field] ?? field, problemText(problem, t));
    return out;
  }
  out.general.push(problemText(problem, t));
  return out;
}

/** Any thrown error as form errors (network failures included). */
export function errorToFormErrors(err: unknown, knownFields: Iterable<string>, aliases: Record<string, string> = {}, t?: Translate): FormErrors {
  if (err instanceof ApiError) return problemToFormErrors(err.problem, knownFields, aliases, t);
  return { fields: {}, general: [err instanceof Error ? err.message : String(err)] };
}

/** Any thrown error as one line for a toast or an error box, in the UI's language. */
export function describeError(err: unknown, t?: Translate): string {
  if (err instanceof ApiError) return problemToFormErrors(err.problem, [], {}, t).general.join(' ') || problemText(err.problem, t);
  return err instanceof Error ? err.message : String(err);
}

export function hasErrors(errors: FormErrors): boolean {
  return errors.general.length > 0 || Object.keys(errors.fields).length > 0;
}

/** The errors without those of `fields` (the user changed them: the old message no longer applies). */
export function clearFieldErrors(errors: FormErrors, fields: Iterable<string>): FormErrors {
  let out = errors;
  for (const f of fields) {
    if (!(f in out.fields)) continue;
    const rest = { ...out.fields };
    delete rest[f];
    out = { ...out, fields: rest };
  }
  return out;
}
