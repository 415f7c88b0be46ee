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
} as const;

export type Channel = (typeof Channels)[keyof typeof Channels];

/** What the preload receives from `getConfig`. */
export interface BridgeConfig {
  serverUrl: string;
  apiKey: string;
  platform: string;
}
