/** A class's hub: its week, exams, materials, lectures, decks and conversations on one page. */
export const classPath = (classId: string) => `/classes/${classId}`;
