import type { Material } from '@little-monster/core/contract';
import { RenameDialog } from '../../app/components/RenameDialog';
import { useRenameMaterial } from './queries';

export function RenameMaterialDialog({ material, onClose }: { material: Material; onClose(): void }) {
  const rename = useRenameMaterial();
  return (
    <RenameDialog
      heading="Rename material"
      current={material.title}
      pending={rename.isPending}
      rename={(title) => rename.mutateAsync({ id: material.id, title })}
      onClose={onClose}
    />
  );
}
