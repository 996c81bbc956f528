import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate } from './menu-template.js';

const roles = (items: MenuItemConstructorOptions[]): string[] =>
  items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ]);

const titles = (items: MenuItemConstructorOptions[]) => items.map((item) => item.label ?? item.role);

const build = (platform: NodeJS.Platform, isPackaged: boolean) =>
  buildMenuTemplate({ appName: 'Little Monster', platform, isPackaged, openLogsFolder: () => {} });

describe('the application menu', () => {
  it('has File, Edit, View, Window and Help', () => {
    expect(titles(build('linux', true))).toEqual(['File', 'editMenu', 'View', 'windowMenu', 'help']);
    expect(titles(build('darwin', true))).toEqual([
      'Little Monster',
      'File',
      'editMenu',
      'View',
      'windowMenu',
      'help',
    ]);
  });

  it('offers no developer tools and no reload in a packaged build', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const packaged = roles(build(platform, true));
      expect(packaged).not.toContain('toggleDevTools');
      expect(packaged).not.toContain('reload');
      expect(packaged).not.toContain('forceReload');
    }
  });

  it('offers them in development', () => {
    expect(roles(build('linux', false))).toEqual(
      expect.arrayContaining(['toggleDevTools', 'reload', 'forceReload']),
    );
  });

  it('quits from File on Windows and Linux, and from the app menu on macOS', () => {
    expect(build('win32', true)[0]).toMatchObject({ label: 'File', submenu: [{ role: 'quit' }] });
    expect(build('darwin', true)[1]).toMatchObject({ label: 'File', submenu: [{ role: 'close' }] });
    expect(roles([build('darwin', true)[0]!])).toContain('quit');
  });
});
