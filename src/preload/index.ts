import { contextBridge, ipcRenderer } from 'electron';
import { API_CHANNELS, appInfoSchema, type KassebroApi } from '../shared/api';

// Named functions only: the renderer never gets a generic invoke(channel).
const api: KassebroApi = {
  appInfo: async () => appInfoSchema.parse(await ipcRenderer.invoke(API_CHANNELS.appInfo)),
};

contextBridge.exposeInMainWorld('kassebro', api);
