import { describe, expect, it, vi } from 'vitest';
import type { UpdateStatus } from '../../../../renderer/src/bridge';
import { UPDATE_CHECK_INTERVAL_MS, UpdateController, type Timers, type UpdaterEvents, type UpdaterLike } from '../../../../electron/lib/updater-state';

/** A fake electron-updater: records calls, lets the test emit its events. */
class FakeUpdater implements UpdaterLike {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  checks = 0;
  installs: [boolean | undefined, boolean | undefined][] = [];
  nextCheck: () => Promise<unknown> = async () => null;
  private handlers = new Map<string, ((...args: never[]) => void)[]>();

  on<E extends keyof UpdaterEvents>(event: E, listener: UpdaterEvents[E]): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), listener as (...args: never[]) => void]);
    return this;
  }
  emit<E extends keyof UpdaterEvents>(event: E, ...args: Parameters<UpdaterEvents[E]>): void {
    for (const h of this.handlers.get(event) ?? []) (h as (...a: unknown[]) => void)(...args);
  }
  checkForUpdates(): Promise<unknown> {
    this.checks++;
    this.emit('checking-for-update');
    return this.nextCheck();
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter]);
  }
}

class FakeTimers implements Timers {
  intervals: { callback: () => void; ms: number; cleared: boolean }[] = [];
  setInterval(callback: () => void, ms: number): unknown {
    const t = { callback, ms, cleared: false };
    this.intervals.push(t);
    return t;
  }
  clearInterval(handle: unknown): void {
    (handle as { cleared: boolean }).cleared = true;
  }
  tick(): void {
    for (const t of this.intervals) if (!t.cleared) t.callback();
  }
}

function setup() {
  const updater = new FakeUpdater();
  const timers = new FakeTimers();
  const controller = new UpdateController({ updater, timers, now: () => new Date('2026-01-15T10:00:00.000Z') });
  const seen: UpdateStatus[] = [];
  controller.subscribe((s) => seen.push(s));
  return { updater, timers, controller, seen };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('updates: off', () => {
  it('in development nothing is checked and the reason is shown', async () => {
    const c = new UpdateController({ updater: undefined, disabledReason: 'Updates are off in development.' });
    c.start();
    await c.check();
    expect(c.status).toEqual({ state: 'disabled', reason: 'Updates are off in development.' });
    expect(c.enabled).toBe(false);
    expect(c.install()).toBe(false);
  });
});

describe('updates: the state machine', () => {
  it('start: downloads automatically, installs on quit, checks now and every 4 hours', async () => {
    const { updater, timers, controller, seen } = setup();
    expect(controller.status).toEqual({ state: 'idle' });
    controller.start();
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(updater.checks).toBe(1);
    expect(timers.intervals).toHaveLength(1);
    expect(timers.intervals[0]!.ms).toBe(UPDATE_CHECK_INTERVAL_MS);
    expect(UPDATE_CHECK_INTERVAL_MS).toBe(4 * 3600 * 1000);
    updater.emit('update-not-available', { version: '0.1.0' });
    await flush();
    expect(seen.at(-1)).toEqual({ state: 'not-available', checkedAt: '2026-01-15T10:00:00.000Z' });
    timers.tick();
    expect(updater.checks).toBe(2);
    controller.start(); // idempotent
    expect(updater.checks).toBe(2);
    controller.stop();
    expect(timers.intervals[0]!.cleared).toBe(true);
  });

  it('available -> downloading (progress forwarded) -> downloaded -> install', async () => {
    const { updater, controller, seen } = setup();
    controller.start();
    updater.emit('update-available', { version: '0.2.0' });
    expect(controller.status).toEqual({ state: 'available', version: '0.2.0' });
    updater.emit('download-progress', { percent: 12.345, transferred: 1234, total: 10000, bytesPerSecond: 500 });
    expect(controller.status).toEqual({ state: 'downloading', version: '0.2.0', percent: 12.3, transferred: 1234, total: 10000, bytesPerSecond: 500 });
    updater.emit('download-progress', { percent: 100, transferred: 10000, total: 10000, bytesPerSecond: 500 });
    updater.emit('update-downloaded', { version: '0.2.0' });
    expect(controller.status).toEqual({ state: 'downloaded', version: '0.2.0' });
    expect(seen.map((s) => s.state)).toEqual(['checking', 'available', 'downloading', 'downloading', 'downloaded']);
    expect(controller.install()).toBe(true);
    expect(updater.installs).toEqual([[false, true]]);
  });

  it('no periodic check while downloading or once an update waits; a later error does not hide it', async () => {
    const { updater, timers, controller } = setup();
    controller.start();
    updater.emit('update-available', { version: '0.2.0' });
    updater.emit('download-progress', { percent: 50, transferred: 5, total: 10, bytesPerSecond: 1 });
    timers.tick();
    expect(updater.checks).toBe(1);
    updater.emit('update-downloaded', { version: '0.2.0' });
    timers.tick();
    expect(updater.checks).toBe(1);
    updater.emit('error', new Error('late network error'));
    updater.emit('update-not-available', { version: '0.2.0' });
    expect(controller.status).toEqual({ state: 'downloaded', version: '0.2.0' });
  });

  it('install before anything is downloaded does nothing', () => {
    const { updater, controller } = setup();
    controller.start();
    expect(controller.install()).toBe(false);
    expect(updater.installs).toEqual([]);
  });

  it('errors: a failed check or download becomes an error state with a short message, and the next check retries', async () => {
    const { updater, timers } = setup();
    const log = vi.fn();
    updater.nextCheck = async () => {
      throw new Error(`HttpError: 404 Not Found\n${'<html>'.repeat(200)}`);
    };
    const c = new UpdateController({ updater, timers, log });
    c.start();
    await flush();
    expect(c.status).toEqual({ state: 'error', message: 'HttpError: 404 Not Found' });
    expect(log).toHaveBeenCalled();
    updater.nextCheck = async () => null;
    timers.tick();
    expect(c.status.state).toBe('checking');
    updater.emit('error', new Error('x'.repeat(1000)));
    expect(c.status.state).toBe('error');
    expect((c.status as { message: string }).message.length).toBeLessThanOrEqual(300);
  });

  it('a throwing subscriber does not break the others', () => {
    const { updater, controller } = setup();
    const other = vi.fn();
    controller.subscribe(() => {
      throw new Error('renderer gone');
    });
    controller.subscribe(other);
    controller.start();
    updater.emit('update-available', { version: '1.0.0' });
    expect(other).toHaveBeenCalledWith({ state: 'available', version: '1.0.0' });
  });

  it('unsubscribe stops the calls', () => {
    const { updater, controller } = setup();
    const listener = vi.fn();
    const off = controller.subscribe(listener);
    off();
    controller.start();
    updater.emit('update-available', { version: '1.0.0' });
    expect(listener).not.toHaveBeenCalled();
  });
});
