import { useId, useState, type FormEvent } from 'react';
import type { Conversation } from '@little-monster/core/contract';
import { ConfirmDialog } from '../../app/components/ConfirmDialog';
import { Dialog, FormDialogActions } from '../../app/components/Dialog';
import { explainError } from '../../app/error-messages';
import { isRpcCallError } from '../../transport/client';
import { useDeleteConversation, useRenameConversation } from './queries';

export function RenameConversationDialog({
  conversation,
  onClose,
}: {
  conversation: Conversation;
  onClose(): void;
}) {
  const rename = useRenameConversation();
  const [title, setTitle] = useState(conversation.title);
  const fieldId = useId();
  const errorId = useId();
  const refusal =
    rename.error && isRpcCallError(rename.error, 'INVALID_INPUT') ? explainError(rename.error).message : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    rename.mutate({ id: conversation.id, title }, { onSuccess: onClose });
  }

  return (
    <Dialog title="Rename conversation" onClose={onClose}>
      <form onSubmit={submit} className="form-grid">
        <div className="field span-2">
          <label htmlFor={fieldId}>Title</label>
          <input
            id={fieldId}
            type="text"
            value={title}
            maxLength={200}
            onChange={(event) => setTitle(event.target.value)}
            aria-invalid={refusal ? true : undefined}
            aria-describedby={refusal ? errorId : undefined}
          />
          {refusal ? (
            <p id={errorId} className="field-error" role="alert">
              {refusal}
            </p>
          ) : null}
        </div>
        <div className="span-2">
          <FormDialogActions submitLabel="Rename" pending={rename.isPending} onCancel={onClose} />
        </div>
      </form>
    </Dialog>
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
