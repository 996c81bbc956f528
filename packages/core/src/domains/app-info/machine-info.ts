import { statfs } from 'node:fs/promises';
import os from 'node:os';
import type { AppInfo } from '../../contract/index.js';

export interface AppInfoSources {
  appVersion: string;
  hostVersions: Record<string, string>;
  paths: AppInfo['paths'];
  storage: AppInfo['storage'];
  sqliteVersion: string;
}

/** What Settings > About and the model picker need to know about this machine. */
export async function readAppInfo(sources: AppInfoSources): Promise<AppInfo> {
  const cpus = os.cpus();
  return {
    appVersion: sources.appVersion,
    versions: {
      node: process.versions.node,
      v8: process.versions.v8,
      sqlite: sources.sqliteVersion,
      'sqlite-vec': sources.storage.sqliteVec,
      ...sources.hostVersions,
    },
    platform: process.platform,
    arch: process.arch,
    paths: sources.paths,
    cpu: { model: cpus[0]?.model.trim() ?? 'unknown', cores: os.availableParallelism() },
    memory: { totalBytes: os.totalmem(), freeBytes: os.freemem() },
    disk: await diskSpace(sources.paths.data),
    storage: sources.storage,
  };
}

async function diskSpace(folder: string): Promise<AppInfo['disk']> {
  try {
    const stats = await statfs(folder);
    return { totalBytes: stats.blocks * stats.bsize, freeBytes: stats.bavail * stats.bsize };
  } catch {
    return null;
  }
}
