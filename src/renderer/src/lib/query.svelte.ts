import type { ChangeTopic } from '../../../shared/api';
import { onEngineEvent } from './context';

/**
 * A value loaded from the engine that reloads itself when the engine reports a change in one of
 * `topics`. The previous value stays on screen while a reload runs, so nothing jumps.
 */
export function liveQuery<T>(load: () => Promise<T>, topics: readonly ChangeTopic[]) {
  const state = $state<{ value: T | undefined; error: string | null; loading: boolean }>({
    value: undefined,
    error: null,
    loading: true,
  });
  const reload = async (): Promise<void> => {
    state.loading = true;
    try {
      state.value = await load();
      state.error = null;
    } catch (error) {
      state.error = error instanceof Error ? error.message : String(error);
    } finally {
      state.loading = false;
    }
  };
  $effect(() => {
    void reload();
    return onEngineEvent((event) => {
      if (event.type === 'changed' && event.topics.some((topic) => topics.includes(topic))) void reload();
    });
  });
  return {
    get value() {
      return state.value;
    },
    get error() {
      return state.error;
    },
    get loading() {
      return state.loading;
    },
    reload,
  };
}
