/** Something the palette can do: go somewhere or start something. */
export interface PaletteCommand {
  id: string;
  label: string;
  group: 'Go to' | 'Actions';
  /** Other words it answers to ("add", "upload"). */
  keywords?: string;
  run(): void;
}

/** Commands whose label or keywords contain every word typed, in any order. */
export function matchCommands<T extends Pick<PaletteCommand, 'label' | 'keywords'>>(
  commands: readonly T[],
  query: string,
): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...commands];
  return commands.filter((command) => {
    const haystack = `${command.label} ${command.keywords ?? ''}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
