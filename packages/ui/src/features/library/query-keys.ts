/** The library's react-query keys; every one starts with 'materials'. */
export const materialKeys = {
  /** Every cached answer about materials (lists, one material, its pages). */
  all: ['materials'] as const,
  list: (filter: { classId?: string; type?: string; limit: number }) =>
    ['materials', 'list', filter] as const,
  one: (id: string) => ['materials', 'one', id] as const,
  page: (id: string, page: number) => ['materials', 'page', id, page] as const,
  find: (id: string, text: string) => ['materials', 'find', id, text] as const,
};
