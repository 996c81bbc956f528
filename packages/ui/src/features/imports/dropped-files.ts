import { useEffect } from 'react';
/**
 * The files of a drop, with the files inside dropped folders (hidden ones skipped, like the
 * engine does for folders it reads by path). Folder entries must be taken during the drop event,
 * so this reads them synchronously first and walks them afterwards.
 */
export function filesFromDrop(data: DataTransfer): Promise<File[]> {
  const entries = [...data.items]
    .filter((item) => item.kind === 'file')
    .map((item) => (typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null));
  if (entries.length === 0 || entries.some((entry) => entry === null)) {
    // No entry API (or an item without an entry): take the plain file list.
    return Promise.resolve([...data.files]);
  }
  return walkEntries(entries as FileSystemEntry[]);
}

const isHidden = (entry: FileSystemEntry) => entry.name.startsWith('.');

const isDirectory = (entry: FileSystemEntry): entry is FileSystemDirectoryEntry => entry.isDirectory;
const isFile = (entry: FileSystemEntry): entry is FileSystemFileEntry => entry.isFile;

async function walkEntries(entries: readonly FileSystemEntry[]): Promise<File[]> {
  const files: File[] = [];
  for (const entry of entries) {
    if (isHidden(entry)) continue;
    if (isFile(entry)) files.push(await new Promise<File>((resolve, reject) => entry.file(resolve, reject)));
    else if (isDirectory(entry)) files.push(...(await walkEntries(await readDirectory(entry))));
  }
  return files;
}

/** A directory reader hands out entries in batches until it returns an empty one. */
async function readDirectory(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) break;
    all.push(...batch);
  }
  return all.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Keeps a file dropped beside a drop zone from making the browser open it in place of the app
 * (while `enabled`).
 */
export function useKeepDroppedFilesInPage(enabled = true): void {
  useEffect(() => {
    if (!enabled) return;
    const keepPage = (event: globalThis.DragEvent) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    };
    window.addEventListener('dragover', keepPage);
    window.addEventListener('drop', keepPage);
    return () => {
      window.removeEventListener('dragover', keepPage);
      window.removeEventListener('drop', keepPage);
    };
  }, [enabled]);
}
