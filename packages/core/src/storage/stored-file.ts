/** A file the engine keeps (an imported original, a recording), as the file routes serve it. */
export interface StoredFile {
  path: string;
  mimeType: string;
  /** The name to offer when it is saved ("Lecture 3.webm"). */
  name: string;
}
