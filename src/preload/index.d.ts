import type { KassebroApi } from '../shared/api';

declare global {
  interface Window {
    /** Present in the desktop app (set by the preload); absent in a browser using `kassebro serve`. */
    readonly kassebro?: KassebroApi;
  }
}
