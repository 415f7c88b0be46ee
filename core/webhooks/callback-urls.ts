import type { SettingsSection, SettingsService } from '../settings';
import type { Checker } from '../validate';
import { httpUrlProblem, MAX_CALLBACK_URLS } from '../links/callback';

export const CALLBACK_URLS_KEY = 'callbackUrls';

/**
 * settings.callbackUrls: the merchant's allow-list of browser callback URLs. A link's
 * callbackUrl may name an entry by index ("0"); once the list has entries, every callback URL's
 * origin must be on it. A PATCH replaces the whole list; links keep what their index meant
 * when they were saved.
 */
export function callbackUrlsSection(settings: SettingsService): SettingsSection<string[]> {
  return {
    key: CALLBACK_URLS_KEY,
    read: async (t) => (await settings.stored<string[]>(t, CALLBACK_URLS_KEY)) ?? [],
    async update(t, patch: unknown, c: Checker): Promise<void> {
      if (!Array.isArray(patch) || patch.length > MAX_CALLBACK_URLS) {
        c.fail(CALLBACK_URLS_KEY, `must be a list of at most ${MAX_CALLBACK_URLS} absolute http(s) URLs`);
        return;
      }
      let ok = true;
      patch.forEach((entry: unknown, i) => {
        const problem = typeof entry === 'string' ? httpUrlProblem(entry) : 'must be a string';
        if (problem) {
          c.fail(`${CALLBACK_URLS_KEY}[${i}]`, problem);
          ok = false;
        }
      });
      if (ok) await settings.save(t, CALLBACK_URLS_KEY, patch);
    },
  };
}
