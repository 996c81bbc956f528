/** The Quizzes page with its form set to generate from this material or lecture. */
export const generatePath = (kind: 'material' | 'lecture', id: string) =>
  `/quizzes?from=${encodeURIComponent(`${kind}:${id}`)}`;
