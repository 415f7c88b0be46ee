import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import { readFileSync } from 'node:fs';
import { trayMenuTemplate, type TrayActions, type TrayState } from '../lib/tray-menu';

/** Glue: the tray icon and its menu (rebuilt from lib/tray-menu.ts whenever the state changes). */

export interface TrayIcons {
  /** 16 px and 32 px (for scale 2) colour icons; `template*` are macOS menu-bar templates. */
  x1: string;
  x2: string;
  template1: string;
  template2: string;
}

function loadIcon(icons: TrayIcons): NativeImage {
  const mac = process.platform === 'darwin';
  const image = nativeImage.createFromPath(mac ? icons.template1 : icons.x1);
  try {
    image.addRepresentation({ scaleFactor: 2, buffer: readFileSync(mac ? icons.template2 : icons.x2) });
  } catch {
    /* the 1x image alone is fine */
  }
  if (mac) image.setTemplateImage(true);
  return image;
}

export class AppTray {
  private readonly tray: Tray;

  constructor(
    icons: TrayIcons,
    private readonly state: () => TrayState,
    private readonly actions: TrayActions,
  ) {
    this.tray = new Tray(loadIcon(icons));
    this.tray.setToolTip('Counterlink');
    // Windows and most Linux trays: a click opens the staff window; the menu is on right click.
    this.tray.on('click', () => actions.showStaff());
    this.refresh();
  }

  refresh(): void {
    if (this.tray.isDestroyed()) return;
    const state = this.state();
    this.tray.setToolTip(`Counterlink – ${state.publicUrl}`);
    this.tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(state, this.actions)));
  }

  destroy(): void {
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }
}
