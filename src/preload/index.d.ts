import type { KassebroApi } from '../shared/api';

declare global {
  interface Window {
    readonly kassebro: KassebroApi;
  }
}
