/**
 * Live and test mode (API.md "Live and test mode"): every link, payment, event, notification and
 * webhook endpoint belongs to one mode, and a request sees only its own. Test mode is where the
 * simulator lives; live mode is where money moves.
 */
export const MODES = ['live', 'test'] as const;
export type Mode = (typeof MODES)[number];

export const isLive = (mode: Mode): boolean => mode === 'live';
export const modeOf = (livemode: boolean): Mode => (livemode ? 'live' : 'test');

/** True when an object of `livemode` may be seen by a request in `mode` (undefined: no filter). */
export function visibleIn(livemode: boolean, mode: Mode | undefined): boolean {
  return mode === undefined || livemode === isLive(mode);
}
