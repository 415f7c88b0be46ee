import { describe, expect, it } from 'vitest';
import { chooseDisplayScreen, describeScreens, screenForRect, windowedBounds, type ScreenInfo } from '../../../../electron/lib/displays';

function screenAt(id: number, x: number, width = 1920, height = 1080, label = ''): ScreenInfo {
  return { id, label, bounds: { x, y: 0, width, height }, workArea: { x, y: 0, width, height: height - 40 } };
}

const laptop = screenAt(1, 0, 1920, 1080, 'Built-in Retina Display');
const customer = screenAt(2, 1920, 1280, 800, 'DELL P1917');
const third = screenAt(3, 3200, 1024, 768);

describe('counter display: which screen', () => {
  it('one screen: a normal window on it, in the bottom-right corner', () => {
    const p = chooseDisplayScreen([laptop], 1, null);
    expect(p.screen.id).toBe(1);
    expect(p.fullscreen).toBe(false);
    expect(p.bounds).toEqual({ x: 1920 - 800 - 24, y: 1040 - 600 - 24, width: 800, height: 600 });
  });

  it('a second screen: full screen there, automatically', () => {
    const p = chooseDisplayScreen([laptop, customer], 1, null);
    expect(p).toEqual({ screen: customer, fullscreen: true, bounds: customer.bounds });
  });

  it('the primary screen need not be listed first', () => {
    expect(chooseDisplayScreen([customer, laptop], 1, null).screen.id).toBe(2);
  });

  it('the saved choice wins while that screen is connected', () => {
    expect(chooseDisplayScreen([laptop, customer, third], 1, 3).screen.id).toBe(3);
    // Chosen: the staff's own screen -> a movable window there, not full screen over the staff UI.
    const onPrimary = chooseDisplayScreen([laptop, customer], 1, 1);
    expect(onPrimary.screen.id).toBe(1);
    expect(onPrimary.fullscreen).toBe(false);
  });

  it('a saved screen that is unplugged falls back to another secondary screen, then to the primary', () => {
    expect(chooseDisplayScreen([laptop, third], 1, 2).screen.id).toBe(3);
    const alone = chooseDisplayScreen([laptop], 1, 2);
    expect(alone.screen.id).toBe(1);
    expect(alone.fullscreen).toBe(false);
  });

  it('an unknown primary id still gives a placement; no screens at all is an error', () => {
    expect(chooseDisplayScreen([laptop], 99, null).screen.id).toBe(1);
    expect(() => chooseDisplayScreen([], 1, null)).toThrow(/No screens/);
  });
});

describe('counter display: geometry', () => {
  it('the windowed display fits small work areas', () => {
    const b = windowedBounds({ x: 100, y: 50, width: 600, height: 400 });
    expect(b.width).toBe(552);
    expect(b.height).toBe(352);
    expect(b.x).toBeGreaterThanOrEqual(100);
    expect(b.y).toBeGreaterThanOrEqual(50);
    expect(b.x + b.width).toBeLessThanOrEqual(700);
  });

  it('finds the screen a window is mostly on', () => {
    const screens = [laptop, customer];
    expect(screenForRect(screens, { x: 1800, y: 10, width: 400, height: 300 })?.id).toBe(2);
    expect(screenForRect(screens, { x: 1700, y: 10, width: 400, height: 300 })?.id).toBe(1);
    expect(screenForRect(screens, { x: -5000, y: 0, width: 10, height: 10 })).toBeUndefined();
  });

  it('describes screens for the staff UI, with a fallback label', () => {
    expect(describeScreens([laptop, third], 1, 3)).toEqual([
      { id: 1, label: 'Built-in Retina Display', width: 1920, height: 1080, primary: true, selected: false },
      { id: 3, label: 'Screen 2', width: 1024, height: 768, primary: false, selected: true },
    ]);
  });
});
