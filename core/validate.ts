import { ValidationError, type FieldError } from './errors';
import { parseAmount, type Minor } from './money';
import { METADATA_LIMITS } from './limits';

/**
 * Collects every field error of one input so a form can show them all at once, then throws
 * a single ValidationError. Each `take*` returns the parsed value, or undefined after noting
 * the error.
 */
export class Checker {
  readonly errors: FieldError[] = [];

  /** Notes a field error; `code` and `params` let the UI say it in the reader's language. */
  fail(path: string, message: string, code?: string, params?: Record<string, string | number>): undefined {
    this.errors.push({ path, message, ...(code ? { code } : {}), ...(params ? { params } : {}) });
    return undefined;
  }

  attempt<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      if (err instanceof ValidationError) {
        this.errors.push(...err.errors);
        return undefined;
      }
      throw err;
    }
  }

  amount(value: unknown, currency: string, path: string): Minor | undefined {
    return this.attempt(() => parseAmount(value, currency, path));
  }

  text(value: unknown, path: string, { min = 0, max }: { min?: number; max: number }): string | undefined {
    if (typeof value !== 'string') return this.fail(path, 'must be a string', 'type', { expected: 'string' });
    if (value.length < min) return this.fail(path, min === 1 ? 'must not be empty' : `must be at least ${min} characters`, min === 1 ? 'required' : 'too-short', { min });
    if (value.length > max) return this.fail(path, `must be at most ${max} characters`, 'too-long', { max });
    return value;
  }

  /** Optional nullable text: undefined stays undefined (not given), null or "" clears. */
  optionalText(value: unknown, path: string, max: number): string | null | undefined {
    if (value === undefined) return undefined;
    if (value === null || value === '') return null;
    return this.text(value, path, { max });
  }

  integer(value: unknown, path: string, { min, max }: { min: number; max: number }): number | undefined {
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.fail(path, 'must be an integer', 'integer');
    if (value < min || value > max) return this.fail(path, `must be between ${min} and ${max}`, 'range', { min, max });
    return value;
  }

  throwIfAny(): void {
    if (this.errors.length > 0) throw new ValidationError(this.errors);
  }
}

export { METADATA_LIMITS };

export function checkMetadata(c: Checker, value: unknown, path: string): Record<string, string> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return c.fail(path, 'must be an object of string values');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > METADATA_LIMITS.keys) return c.fail(path, `at most ${METADATA_LIMITS.keys} keys`);
  const out: Record<string, string> = {};
  for (const [key, v] of entries) {
    if (key.length === 0 || key.length > METADATA_LIMITS.keyLength) {
      c.fail(`${path}.${key.slice(0, 50)}`, `keys must be 1-${METADATA_LIMITS.keyLength} characters`);
      continue;
    }
    if (typeof v !== 'string') {
      c.fail(`${path}.${key}`, 'must be a string');
      continue;
    }
    if (v.length > METADATA_LIMITS.valueLength) {
      c.fail(`${path}.${key}`, `must be at most ${METADATA_LIMITS.valueLength} characters`);
      continue;
    }
    out[key] = v;
  }
  return out;
}
