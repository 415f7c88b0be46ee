import type { MenuItemConstructorOptions } from 'electron';
import type { DisplayInfo } from '../../renderer/src/bridge';

/** The tray menu as data (type-only Electron import); the glue turns it into a Menu. */

export interface TrayState {
  displayVisible: boolean;
  screens: readonly DisplayInfo[];
  /** No saved screen: the display picks a second screen by itself. */
  automaticScreen: boolean;
  /** Where customers' phones reach the app, shown for reference. */
  publicUrl: string;
  /** Version of a downloaded update waiting to be installed. */
  updateReady: string | null;
}

export interface TrayActions {
  showStaff(): void;
  setDisplayVisible(visible: boolean): void;
  chooseScreen(id: number | null): void;
  installUpdate(): void;
  quit(): void;
}

export function trayMenuTemplate(state: TrayState, actions: TrayActions): MenuItemConstructorOptions[] {
  const screens: MenuItemConstructorOptions[] = [
    { label: 'Automatic', type: 'radio', checked: state.automaticScreen, click: () => actions.chooseScreen(null) },
    ...state.screens.map(
      (s): MenuItemConstructorOptions => ({
        label: `${s.label} (${s.width}×${s.height})${s.primary ? ' – main screen' : ''}`,
        type: 'radio',
        checked: !state.automaticScreen && s.selected,
        click: () => actions.chooseScreen(s.id),
      }),
    ),
  ];
  return [
    { label: 'Open Counterlink', click: () => actions.showStaff() },
    { label: 'Counter display', type: 'checkbox', checked: state.displayVisible, click: () => actions.setDisplayVisible(!state.displayVisible) },
    { label: 'Counter display on', submenu: screens },
    { type: 'separator' },
    { label: `Customers reach this till at ${state.publicUrl}`, enabled: false },
    ...(state.updateReady ? [{ label: `Restart to update to ${state.updateReady}`, click: () => actions.installUpdate() } satisfies MenuItemConstructorOptions] : []),
    { type: 'separator' },
    { label: 'Quit Counterlink', click: () => actions.quit() },
  ];
}
