import { openDatabase, type Db } from '../store/database';
import { activeTargetId } from '../store/home';
import { getTarget, type TargetRecord } from '../store/targets';
import { databasePath } from '../paths';
import { CliError, EXIT, type Output } from './output';

export interface GlobalOptions {
  readonly db?: string;
  readonly json?: boolean;
  readonly lang?: string;
  readonly verbose?: boolean;
  readonly target?: string;
}

/**
 * main.ts's command runner, handed to every register* module: opens the context and output for
 * one command and keeps its exit code. Actions pass a function that loads its implementation.
 */
export type Run = (command: (ctx: CliContext, out: Output) => number | Promise<number>) => () => Promise<void>;

/** Opens the home's database once per command and resolves the target a command works on. */
export class CliContext {
  private database: Db | undefined;

  constructor(readonly options: GlobalOptions) {}

  get databaseFile(): string {
    return databasePath(this.options.db);
  }

  get db(): Db {
    this.database ??= openDatabase(this.databaseFile);
    return this.database;
  }

  target(): TargetRecord {
    const id = this.options.target ?? activeTargetId(this.db);
    if (!id) throw new CliError('No target is set up yet; run "kassebro demo" or give --target NAME', EXIT.usage);
    const target = getTarget(this.db, id);
    if (!target) throw new CliError(`No target called "${id}" is set up`, EXIT.usage);
    return target;
  }

  close(): void {
    this.database?.close();
    this.database = undefined;
  }
}
