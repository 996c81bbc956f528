/** A note's address: `/notes/<id>` opens it for writing (a search hit or a tutor's citation of it). */
export const notePath = (noteId: string) => `/notes/${noteId}`;
