import { describe, expect, it } from 'vitest';
import { engineInitFor } from './engine-config.js';

const host = {
  userDataDir: '/home/student/.config/Little Monster',
  resourcesPath: '/opt/Little Monster/resources',
  appVersion: '0.1.0',
  hostVersions: { electron: '41.7.1' },
};

describe('engineInitFor', () => {
  it('keeps the data and models in userData (the folders the browser mode uses)', () => {
    const init = engineInitFor({
      ...host,
      isPackaged: true,
      appPath: '/opt/Little Monster/resources/app.asar',
    });
    expect(init).toMatchObject({
      dataDir: '/home/student/.config/Little Monster/data',
      logsDir: '/home/student/.config/Little Monster/data/logs',
      modelsDir: '/home/student/.config/Little Monster/models',
    });
  });

  it('reads migrations and resources from the packaged extraResources', () => {
    const init = engineInitFor({
      ...host,
      isPackaged: true,
      appPath: '/opt/Little Monster/resources/app.asar',
    });
    expect(init.migrationsDir).toBe('/opt/Little Monster/resources/migrations');
    expect(init.resourcesDir).toBe('/opt/Little Monster/resources/resources');
    expect(init.modelCatalogFile).toBe('/opt/Little Monster/resources/models/catalog.json');
  });

  it('reads them from the repository in development', () => {
    const init = engineInitFor({ ...host, isPackaged: false, appPath: '/src/little-monster/apps/desktop' });
    expect(init.migrationsDir).toBe('/src/little-monster/packages/core/drizzle');
    expect(init.resourcesDir).toBe('/src/little-monster/resources');
    expect(init.modelCatalogFile).toBe('/src/little-monster/models/catalog.json');
  });
});
