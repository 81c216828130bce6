import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { apiEventSchema, createApiClient, ipcChannel, IPC_EVENT_CHANNEL, unwrapResponse } from '../shared/api';

// The renderer gets one named function per API method (built from the contract), never
// ipcRenderer itself or a generic invoke(channel). Arguments are checked before they leave and
// answers after they arrive; main checks the arguments again.
const api = createApiClient(
  async (method, args) => unwrapResponse(await ipcRenderer.invoke(ipcChannel(method), args)),
  (listener) => {
    const forward = (_event: IpcRendererEvent, raw: unknown): void => {
      const parsed = apiEventSchema.safeParse(raw);
      if (parsed.success) listener(parsed.data);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
  },
);

contextBridge.exposeInMainWorld('kassebro', api);
