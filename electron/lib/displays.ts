import type { DisplayInfo } from '../../renderer/src/bridge';

/**
 * Which screen the counter display goes on. Plain data in, plain data out: the glue passes
 * `screen.getAllDisplays()` and `screen.getPrimaryDisplay().id`.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The part of Electron's `Display` used here. */
export interface ScreenInfo {
  id: number;
  label?: string;
  bounds: Rect;
  workArea: Rect;
}

export interface DisplayPlacement {
  screen: ScreenInfo;
  /** Full screen on a screen of its own (facing the customer); otherwise a normal window staff can move. */
  fullscreen: boolean;
  bounds: Rect;
}

/** Size of the counter display when it has to share the staff's screen. */
export const WINDOWED_DISPLAY = { width: 800, height: 600, margin: 24 } as const;

/**
 * The screen for the counter display:
 * 1. the saved choice, if that screen is connected;
 * 2. else the first screen that is not the primary one (the customer-facing monitor);
 * 3. else the primary screen.
 * Full screen exactly when the chosen screen is not the primary one: a single-screen shop gets a
 * window it can move and resize.
 */
export function chooseDisplayScreen(screens: readonly ScreenInfo[], primaryId: number, preferredId: number | null): DisplayPlacement {
  if (screens.length === 0) throw new Error('No screens are connected');
  const primary = screens.find((s) => s.id === primaryId) ?? screens[0]!;
  const preferred = preferredId === null ? undefined : screens.find((s) => s.id === preferredId);
  const chosen = preferred ?? screens.find((s) => s.id !== primary.id) ?? primary;
  if (chosen.id !== primary.id) return { screen: chosen, fullscreen: true, bounds: { ...chosen.bounds } };
  return { screen: chosen, fullscreen: false, bounds: windowedBounds(chosen.workArea) };
}

/** A window in the bottom-right corner of the work area, so it covers as little of the staff UI as possible. */
export function windowedBounds(workArea: Rect): Rect {
  const { margin } = WINDOWED_DISPLAY;
  const width = Math.max(320, Math.min(WINDOWED_DISPLAY.width, workArea.width - 2 * margin));
  const height = Math.max(240, Math.min(WINDOWED_DISPLAY.height, workArea.height - 2 * margin));
  return {
    x: workArea.x + Math.max(0, workArea.width - width - margin),
    y: workArea.y + Math.max(0, workArea.height - height - margin),
    width,
    height,
  };
}

/** The screen whose area overlaps `rect` the most (where a moved window now is), if any. */
export function screenForRect(screens: readonly ScreenInfo[], rect: Rect): ScreenInfo | undefined {
  let best: ScreenInfo | undefined;
  let bestArea = 0;
  for (const s of screens) {
    const w = Math.min(rect.x + rect.width, s.bounds.x + s.bounds.width) - Math.max(rect.x, s.bounds.x);
    const h = Math.min(rect.y + rect.height, s.bounds.y + s.bounds.height) - Math.max(rect.y, s.bounds.y);
    const area = w > 0 && h > 0 ? w * h : 0;
    if (area > bestArea) {
      best = s;
      bestArea = area;
    }
  }
  return best;
}

/** What the staff UI lists in its display settings. */
export function describeScreens(screens: readonly ScreenInfo[], primaryId: number, selectedId: number): DisplayInfo[] {
  return screens.map((s, i) => ({
    id: s.id,
    label: s.label?.trim() || `Screen ${i + 1}`,
    width: s.bounds.width,
    height: s.bounds.height,
    primary: s.id === primaryId,
    selected: s.id === selectedId,
  }));
}
