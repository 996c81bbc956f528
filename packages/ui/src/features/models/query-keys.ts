/** The model catalog joined with what is installed. */
export const modelKeys = {
  all: ['models'] as const,
};
