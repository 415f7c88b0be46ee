/**
 * IPC channel names shared by the main process and the preload. Every channel is prefixed so a
 * stray message from anything else can never match one of ours.
 */
export const Channels = {
  /** sync (sendSync): the preload asks once for what the bridge exposes as plain properties. */
  getConfig: 'counterlink:get-config',
  showOnDisplay: 'counterlink:show-on-display',
  print: 'counterlink:print',
  getUpdateStatus: 'counterlink:get-update-status',
  installUpdate: 'counterlink:install-update',
  listDisplays: 'counterlink:list-displays',
  chooseDisplay: 'counterlink:choose-display',
  /** main -> renderer push of every update state change. */
  updateStatus: 'counterlink:update-status',
  /** First-start window only (electron/main/first-start.ts). */
  firstStartInfo: 'counterlink:first-start-info',
  firstStartGetHubs: 'counterlink:first-start-get-hubs',
  firstStartJoin: 'counterlink:first-start-join',
  firstStartHubHere: 'counterlink:first-start-hub-here',
  /** main -> first-start window push of the found hubs. */
  firstStartHubs: 'counterlink:first-start-hubs',
} as const;

export type Channel = (typeof Channels)[keyof typeof Channels];

/** What the preload receives from `getConfig`. */
export interface BridgeConfig {
  serverUrl: string;
  apiKey: string;
  platform: string;
  /** The first-start window: the bridge is the first-start calls only (no key, no display, no printing). */
  firstStart?: true;
}
