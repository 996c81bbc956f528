/** The tutor's react-query keys: its status, and conversations with their messages. */
export const tutorKeys = {
  status: ['tutor', 'status'] as const,
  /** Every cached answer about conversations (lists and one conversation with its messages). */
  conversationsAll: ['conversations'] as const,
  conversationLists: ['conversations', 'list'] as const,
  /** undefined: every conversation; null: those across all classes; an id: that class's. */
  conversations: (classId: string | null | undefined) =>
    ['conversations', 'list', { classId: classId === undefined ? 'every' : classId }] as const,
  conversation: (id: string) => ['conversations', 'one', id] as const,
};
