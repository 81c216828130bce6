import { join } from 'node:path';
import type { ApiArgs, ApiEvent, ApiMethod, ApiResult, CallResponse } from '../../src/shared/api';
import { dispatch } from '../../src/main/engine/dispatch';
import { Engine } from '../../src/main/engine/engine';
import { openDatabase } from '../../src/main/store/database';

export const ENGINE_NOW = new Date('2026-11-23T10:00:00Z');

/**
 * An Engine over a fresh database in `home`, called the way the UI calls it (through dispatch, so
 * arguments are validated), with the events it emitted collected.
 */
export function testEngine(home: string) {
  const databaseFile = join(home, 'kassebro.sqlite');
  const db = openDatabase(databaseFile);
  const engine = new Engine({ db, databaseFile, appVersion: '9.9.9', now: () => ENGINE_NOW });
  const events: ApiEvent[] = [];
  engine.onEvent((event) => events.push(event));
  let id = 0;
  const call = (method: ApiMethod | string, args?: unknown): Promise<CallResponse> =>
    dispatch(engine.handlers, ++id, method, args, () => engine.language());
  const ok = async <M extends ApiMethod>(method: M, args?: ApiArgs<M>): Promise<ApiResult<M>> => {
    const response = await call(method, args);
    if (!response.ok) throw new Error(`${method} failed: ${response.error.type}: ${response.error.message}`);
    return response.result as ApiResult<M>;
  };
  return { db, engine, events, call, ok, databaseFile };
}
