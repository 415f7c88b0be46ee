import { BrowserWindow, screen } from 'electron';
import type { CounterDisplayState, DisplayInfo } from '../../renderer/src/bridge';
import { chooseDisplayScreen, describeScreens, type DisplayPlacement } from '../lib/displays';
import type { SettingsFile } from '../lib/settings';
import { displayWindowOptions, staffWindowOptions } from '../lib/window-options';

/**
 * Glue: the staff window and the counter display window. Closing either hides it (the server
 * keeps taking payments; the tray brings the windows back); they are destroyed only on quit.
 */

export interface WindowsOptions {
  preload: string;
  icon: string;
  devTools: boolean;
  /** What the staff window loads: the server's `/`, or the Vite dev server in development. */
  staffUrl: string;
  /** The server's counter display page for a point of sale. */
  displayUrl(pointOfSaleId: string): string;
  settings: SettingsFile;
  /** The point of sale to show when none is chosen (or the chosen one is gone). */
  defaultPointOfSaleId(): string;
  pointOfSaleExists(id: string): boolean;
  /** Called when the display window's visibility or screen changed (the tray menu follows). */
  onChange(): void;
  log(message: string): void;
}

export class Windows {
  private staff: BrowserWindow | undefined;
  private display: BrowserWindow | undefined;
  private displayFullscreen = false;
  private quitting = false;
  private screenTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: WindowsOptions) {}

  /** From now on closing a window really closes it. */
  prepareToQuit(): void {
    this.quitting = true;
  }

  get staffWindow(): BrowserWindow | undefined {
    return this.staff && !this.staff.isDestroyed() ? this.staff : undefined;
  }

  get displayWindow(): BrowserWindow | undefined {
    return this.display && !this.display.isDestroyed() ? this.display : undefined;
  }

  start(): void {
    this.showStaff();
    if (this.options.settings.get().display.visible) this.setDisplayVisible(true);
    const replace = (): void => {
      clearTimeout(this.screenTimer);
      this.screenTimer = setTimeout(() => this.placeDisplay(), 300);
    };
    screen.on('display-added', replace);
    screen.on('display-removed', replace);
    screen.on('display-metrics-changed', replace);
  }

  showStaff(): void {
    const existing = this.staffWindow;
    if (existing) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return;
    }
    const win = new BrowserWindow(staffWindowOptions({ preload: this.options.preload, icon: this.options.icon, devTools: this.options.devTools }));
    this.staff = win;
    this.keepAlive(win, 'staff');
    win.once('ready-to-show', () => win.show());
    void win.loadURL(this.options.staffUrl).catch((err: unknown) => this.options.log(`staff window failed to load: ${String(err)}`));
  }

  // ---- counter display -------------------------------------------------------------------

  pointOfSaleId(): string {
    const saved = this.options.settings.get().display.pointOfSaleId;
    return saved && this.options.pointOfSaleExists(saved) ? saved : this.options.defaultPointOfSaleId();
  }

  private placement(): DisplayPlacement {
    return chooseDisplayScreen(screen.getAllDisplays(), screen.getPrimaryDisplay().id, this.options.settings.get().display.screenId);
  }

  setDisplayVisible(visible: boolean): void {
    this.options.settings.update((s) => {
      s.display.visible = visible;
    });
    const win = this.displayWindow;
    if (!visible) {
      win?.hide();
    } else if (win) {
      win.showInactive();
    } else {
      this.createDisplay(this.placement());
    }
    this.options.onChange();
  }

  private createDisplay(placement: DisplayPlacement): void {
    // No preload: the display is a public page (it also runs on a tablet in a browser) and gets
    // neither the bridge nor the staff credential.
    const win = new BrowserWindow(displayWindowOptions({ icon: this.options.icon, devTools: this.options.devTools, placement }));
    this.display = win;
    this.displayFullscreen = placement.fullscreen;
    this.keepAlive(win, 'display');
    win.once('ready-to-show', () => {
      // Never steal focus from the staff window: the display is for the customer.
      win.showInactive();
      if (placement.fullscreen) {
        win.setBounds(placement.bounds);
        win.setFullScreen(true);
      }
    });
    void win.loadURL(this.options.displayUrl(this.pointOfSaleId())).catch((err: unknown) => this.options.log(`display window failed to load: ${String(err)}`));
  }

  /** Screens changed or a screen was chosen: move (or, between full screen and windowed, rebuild) the display. */
  placeDisplay(): void {
    const win = this.displayWindow;
    if (!win) return;
    const placement = this.placement();
    if (placement.fullscreen !== this.displayFullscreen) {
      // A frameless full-screen window cannot become a movable window (and vice versa): rebuild it.
      const visible = win.isVisible();
      this.display = undefined;
      win.destroy();
      if (visible) this.createDisplay(placement);
    } else if (placement.fullscreen) {
      win.setFullScreen(false);
      win.setBounds(placement.bounds);
      win.setFullScreen(true);
    }
    this.options.onChange();
  }

  chooseScreen(id: number | null): DisplayInfo[] {
    this.options.settings.update((s) => {
      s.display.screenId = id;
    });
    const win = this.displayWindow;
    if (win) {
      // An explicit choice moves even a windowed display onto that screen.
      const placement = this.placement();
      if (!placement.fullscreen && placement.fullscreen === this.displayFullscreen) win.setBounds(placement.bounds);
      this.placeDisplay();
    }
    return this.listScreens();
  }

  setPointOfSale(id: string): void {
    if (!this.options.pointOfSaleExists(id)) throw new Error(`Unknown point of sale ${id}`);
    this.options.settings.update((s) => {
      s.display.pointOfSaleId = id;
    });
    void this.displayWindow?.loadURL(this.options.displayUrl(id));
  }

  listScreens(): DisplayInfo[] {
    const displays = screen.getAllDisplays();
    const primaryId = screen.getPrimaryDisplay().id;
    return describeScreens(displays, primaryId, this.placement().screen.id);
  }

  displayState(): CounterDisplayState {
    const placement = this.placement();
    const win = this.displayWindow;
    return {
      visible: win?.isVisible() ?? false,
      fullscreen: win ? this.displayFullscreen : placement.fullscreen,
      screenId: placement.screen.id,
      pointOfSaleId: this.pointOfSaleId(),
    };
  }

  // ---- shared ------------------------------------------------------------------------------

  private keepAlive(win: BrowserWindow, kind: 'staff' | 'display'): void {
    win.on('close', (event) => {
      if (this.quitting) return;
      event.preventDefault();
      if (kind === 'display') this.setDisplayVisible(false);
      else win.hide();
    });
    win.webContents.on('render-process-gone', (_event, details) => {
      this.options.log(`${kind} window renderer gone (${details.reason}); reloading`);
      if (details.reason !== 'clean-exit') setTimeout(() => !win.isDestroyed() && win.webContents.reload(), 1000);
    });
  }

  destroyAll(): void {
    clearTimeout(this.screenTimer);
    for (const win of [this.displayWindow, this.staffWindow]) win?.destroy();
  }
}
