import { z } from 'zod';
import type { Db } from './database';
import { readSetting, writeSetting } from './settings';

/** Whether this installation holds demo data or a real shop's; demo commands never touch a real one. */
export const HOME_KIND_SETTING = 'home.kind';
export const ACTIVE_TARGET_SETTING = 'activeTarget';

const homeKindSchema = z.enum(['demo', 'shop']);
export type HomeKind = z.infer<typeof homeKindSchema>;

export function homeKind(db: Db): HomeKind | undefined {
  const value = readSetting(db, HOME_KIND_SETTING);
  return value === undefined ? undefined : homeKindSchema.parse(value);
}

export function setHomeKind(db: Db, kind: HomeKind): void {
  writeSetting(db, HOME_KIND_SETTING, kind);
}

export function activeTargetId(db: Db): string | undefined {
  const value = readSetting(db, ACTIVE_TARGET_SETTING);
  return value === undefined ? undefined : z.string().parse(value);
}

export function setActiveTarget(db: Db, targetId: string): void {
  writeSetting(db, ACTIVE_TARGET_SETTING, targetId);
}
