import { type Locator } from '@playwright/test';

/** "Use a file I already have" in a model's card or a call to action: installs the file at `path`. */
export async function useModelFile(container: Locator, path: string): Promise<void> {
  await container.getByRole('button', { name: 'Use a file I already have' }).click();
  await container.getByLabel('Path of the model file').fill(path);
  await container.getByRole('button', { name: 'Use this file' }).click();
}
