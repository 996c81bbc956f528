/** The classes feature's react-query keys; every one starts with 'classes'. */
export const classKeys = {
  all: ['classes'] as const,
  list: (includeArchived: boolean) => ['classes', { includeArchived }] as const,
};
