/**
 * The API key every test app accepts: typed once, here. Integration apps take it as their
 * test-mode key (the simulator only pays test links); staff UI apps as their live key.
 */
export const API_KEY = 'test-key-123456';
export const AUTH = { authorization: `Bearer ${API_KEY}` } as const;
/** Staff UI requests that change state carry this header (the staff session's CSRF guard). */
export const CSRF = { 'X-Counterlink-CSRF': '1' } as const;
