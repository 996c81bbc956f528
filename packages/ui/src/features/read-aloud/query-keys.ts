/** The voices, the one in use and the reading speed. */
export const readAloudKeys = {
  voices: ['readAloud', 'voices'] as const,
};
