/** Search answers, one key per query and filters. */
export const searchKeys = {
  all: ['search'] as const,
  query: (params: object) => ['search', params] as const,
};
