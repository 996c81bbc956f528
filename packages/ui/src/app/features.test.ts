import { describe, expect, it } from 'vitest';
import { FEATURES } from './features';

const duplicates = (values: readonly string[]) =>
  values.filter((value, index) => values.indexOf(value) !== index);

describe('the feature list', () => {
  it('gives every feature its own id, sidebar entry, shortcut key, pages and commands', () => {
    expect(duplicates(FEATURES.map((feature) => feature.id))).toEqual([]);
    const nav = FEATURES.flatMap((feature) => (feature.nav ? [feature.nav] : []));
    expect(duplicates(nav.map((item) => item.path))).toEqual([]);
    expect(duplicates(nav.map((item) => item.key))).toEqual([]);
    const paths = FEATURES.flatMap((feature) => (feature.routes ?? []).map((route) => route.path));
    expect(duplicates(paths)).toEqual([]);
    const commands = FEATURES.flatMap((feature) => (feature.commands ?? []).map((command) => command.id));
    expect(duplicates(commands)).toEqual([]);
  });

  it('names each input field the same way in every feature’s error texts', () => {
    for (const kind of ['fields', 'rows'] as const) {
      const labels = new Map<string, string>();
      for (const { errorTexts } of FEATURES) {
        for (const [field, label] of Object.entries(errorTexts?.[kind] ?? {})) {
          expect.soft(labels.get(field) ?? label, `${kind}: "${field}"`).toBe(label);
          labels.set(field, label);
        }
      }
    }
  });
});
