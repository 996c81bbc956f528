import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AccountStatus, ErrorCode, ProcedureInput } from '@little-monster/core/contract';
import { useEngine } from '../../app/engine-context';
import { accountKeys } from './query-keys';

/** What the account's forms say next to themselves: the server's answer, or that it cannot be reached. */
const shownInForm = {
  handlesErrors: ['INVALID_INPUT', 'UNAUTHORIZED', 'CONFLICT', 'NOT_FOUND', 'ENGINE_UNAVAILABLE'],
} satisfies { handlesErrors: ErrorCode[] };

export function useAccountStatus() {
  const engine = useEngine();
  return useQuery({ queryKey: accountKeys.status, queryFn: () => engine.call('account.status') });
}

/** A call that answers with the account's status, which then replaces the cached one. */
function useAccountCall<I>(call: (input: I) => Promise<AccountStatus>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    meta: shownInForm,
    onSuccess: (status) => queryClient.setQueryData(accountKeys.status, status),
  });
}

export function useSignIn() {
  const engine = useEngine();
  return useAccountCall((input: ProcedureInput<'account.signIn'>) => engine.call('account.signIn', input));
}

export function useSignUp() {
  const engine = useEngine();
  return useMutation({
    mutationFn: (input: ProcedureInput<'account.signUp'>) => engine.call('account.signUp', input),
    meta: shownInForm,
  });
}

export function useSignOut() {
  const engine = useEngine();
  return useAccountCall(() => engine.call('account.signOut'));
}

export function useSyncNow() {
  const engine = useEngine();
  return useAccountCall(() => engine.call('account.syncNow'));
}

export function useUnlockSync() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (passphrase: string) => engine.call('account.unlockSync', { passphrase }),
    meta: shownInForm,
    onSuccess: ({ status }) => queryClient.setQueryData(accountKeys.status, status),
  });
}
