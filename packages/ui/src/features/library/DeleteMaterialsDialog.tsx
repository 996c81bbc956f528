import type { Material } from '@little-monster/core/contract';
import { ConfirmDialog } from '../../app/components/ConfirmDialog';
import { useUiStoreApi } from '../../app/ui-store';
import { useDeleteMaterials } from './queries';

const count = (n: number) => (n === 1 ? '1 material' : `${n} materials`);

/** Names how many (or which one) before deleting; nothing is removed until the student confirms. */
export function DeleteMaterialsDialog({
  materials,
  onClose,
  onDeleted,
}: {
  materials: readonly Material[];
  onClose(): void;
  onDeleted?(): void;
}) {
  const remove = useDeleteMaterials();
  const store = useUiStoreApi();
  const only = materials.length === 1 ? materials[0] : undefined;

  function confirm() {
    remove.mutate(
      materials.map((m) => m.id),
      {
        onSuccess: ({ deleted }) => {
          store.getState().pushToast({
            tone: 'success',
            title: only ? `Deleted “${only.title}”` : `Deleted ${count(deleted.length)}`,
          });
          onDeleted?.();
        },
        onSettled: onClose,
      },
    );
  }

  return (
    <ConfirmDialog
      title={`Delete ${count(materials.length)}?`}
      confirmLabel={`Delete ${count(materials.length)}`}
      busy={remove.isPending}
      onCancel={onClose}
      onConfirm={confirm}
    >
      <p>
        {only ? `“${only.title}”` : `These ${materials.length} materials`} will be deleted with{' '}
        {only ? 'its' : 'their'} pages and search entries. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
