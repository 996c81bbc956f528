import type { Conversation } from '@little-monster/core/contract';
import { ConfirmDialog } from '../../app/components/ConfirmDialog';
import { RenameDialog } from '../../app/components/RenameDialog';
import { useDeleteConversation, useRenameConversation } from './queries';

export function RenameConversationDialog({
  conversation,
  onClose,
}: {
  conversation: Conversation;
  onClose(): void;
}) {
  const rename = useRenameConversation();
  return (
    <RenameDialog
      heading="Rename conversation"
      current={conversation.title}
      pending={rename.isPending}
      rename={(title) => rename.mutateAsync({ id: conversation.id, title })}
      onClose={onClose}
      submitLabel="Rename"
      announce={false}
    />
  );
}

export function DeleteConversationDialog({
  conversation,
  onClose,
  onDeleted,
}: {
  conversation: Conversation;
  onClose(): void;
  onDeleted(): void;
}) {
  const remove = useDeleteConversation();
  return (
    <ConfirmDialog
      title={`Delete “${conversation.title}”?`}
      confirmLabel="Delete conversation"
      busy={remove.isPending}
      onCancel={onClose}
      onConfirm={() =>
        remove.mutate(conversation.id, {
          onSuccess() {
            onClose();
            onDeleted();
          },
          onError: onClose,
        })
      }
    >
      Its questions and answers are deleted. Your material stays in the library.
    </ConfirmDialog>
  );
}
