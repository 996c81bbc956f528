import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { CloudConfig, CloudProvider, CloudSetup } from '@little-monster/core/contract';
import { ConfirmDialog } from '../../app/components/ConfirmDialog';
import { describedByNotes, FieldNotes } from '../../app/components/FieldNotes';
import { ErrorState, Loading } from '../../app/components/States';
import { describeFieldPath } from '../../app/error-messages';
import { isRpcCallError } from '../../transport/client';
import { PROVIDER_LABELS } from './engine-text';
import { settingsPath } from '../settings/settings-link';
import { useConfigureCloud, useRemoveCloud, useTutorStatus } from './queries';

interface FieldSpec {
  name: string;
  label: string;
  /** Write-only: sent to the engine (which keeps it in the OS keychain), never filled in again. */
  secret?: boolean;
  optional?: boolean;
  placeholder?: string;
  hint?: string;
}

const FIELDS: Record<CloudProvider, FieldSpec[]> = {
  bedrock: [
    { name: 'region', label: 'Region', placeholder: 'us-east-1' },
    {
      name: 'modelId',
      label: 'Model id',
      hint: 'A model your AWS account may use in that region, as the Bedrock console names it.',
    },
    { name: 'accessKeyId', label: 'Access key id', secret: true },
    { name: 'secretAccessKey', label: 'Secret access key', secret: true },
    {
      name: 'sessionToken',
      label: 'Session token',
      secret: true,
      optional: true,
      hint: 'Only for temporary credentials.',
    },
  ],
  azure: [
    { name: 'endpoint', label: 'Endpoint', placeholder: 'https://your-resource.openai.azure.com' },
    { name: 'deployment', label: 'Deployment', hint: 'The name you gave the model deployment in Azure.' },
    { name: 'apiVersion', label: 'API version', placeholder: '2024-10-21' },
    { name: 'apiKey', label: 'API key', secret: true },
  ],
};

const FIELD_LABELS = Object.fromEntries(
  Object.values(FIELDS)
    .flat()
    .map((field) => [field.name, field.label]),
);

function toSetup(provider: CloudProvider, values: Record<string, string>): CloudSetup {
  const value = (name: string) => values[name] ?? '';
  if (provider === 'bedrock') {
    const sessionToken = value('sessionToken').trim();
    return {
      provider,
      region: value('region'),
      modelId: value('modelId'),
      accessKeyId: value('accessKeyId'),
      secretAccessKey: value('secretAccessKey'),
      ...(sessionToken ? { sessionToken } : {}),
    };
  }
  return {
    provider,
    endpoint: value('endpoint'),
    deployment: value('deployment'),
    apiVersion: value('apiVersion'),
    apiKey: value('apiKey'),
  };
}

/** The settings already saved (never a key): what the form starts from when changing them. */
function savedValues(config: CloudConfig | undefined): Record<string, string> {
  if (!config) return {};
  const { provider: _provider, ...fields } = config;
  return { ...fields };
}

function CloudForm({
  provider,
  config,
  onDone,
}: {
  provider: CloudProvider;
  config: CloudConfig | undefined;
  onDone(): void;
}) {
  const configure = useConfigureCloud();
  const [values, setValues] = useState<Record<string, string>>(() => savedValues(config));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const formId = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    setGeneral(null);
    configure.mutate(toSetup(provider, values), {
      onSuccess() {
        // Forget the keys here at once: the engine has them, and the form is gone.
        setValues({});
        configure.reset();
        onDone();
      },
      onError(error) {
        if (!isRpcCallError(error, 'INVALID_INPUT')) return;
        const byField: Record<string, string> = {};
        const other: string[] = [];
        for (const issue of error.fieldIssues) {
          const name = issue.path.split('.')[0] ?? '';
          if (name in FIELD_LABELS) byField[name] ??= issue.message;
          else other.push(`${describeFieldPath(issue.path)}: ${issue.message}`);
        }
        setErrors(byField);
        setGeneral(other.length > 0 ? other.join('; ') : Object.keys(byField).length ? null : error.message);
      },
    });
  }

  return (
    <form
      className="form-grid"
      onSubmit={submit}
      aria-label={`${PROVIDER_LABELS[provider]} settings`}
      noValidate
    >
      {general ? (
        <p className="form-alert span-2" role="alert">
          {general}
        </p>
      ) : null}
      {FIELDS[provider].map((field) => {
        const id = `${formId}-${field.name}`;
        const error = errors[field.name];
        return (
          <div className="field" key={field.name}>
            <label htmlFor={id}>
              {field.label}
              {field.optional ? <span className="muted"> (optional)</span> : null}
            </label>
            <input
              id={id}
              type={field.secret ? 'password' : 'text'}
              value={values[field.name] ?? ''}
              onChange={(event) => setValues((all) => ({ ...all, [field.name]: event.target.value }))}
              placeholder={field.secret && config ? 'Enter it again to save changes' : field.placeholder}
              autoComplete={field.secret ? 'new-password' : 'off'}
              spellCheck={false}
              aria-invalid={error ? true : undefined}
              aria-describedby={describedByNotes(id, { hint: field.hint, error })}
            />
            <FieldNotes id={id} hint={field.hint} error={error} />
          </div>
        );
      })}
      <div className="row span-2">
        <button type="submit" className="button button-primary" disabled={configure.isPending}>
          {configure.isPending ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function CloudFacts({ config }: { config: CloudConfig }) {
  const facts: [string, string][] =
    config.provider === 'bedrock'
      ? [
          ['Region', config.region],
          ['Model id', config.modelId],
        ]
      : [
          ['Endpoint', config.endpoint],
          ['Deployment', config.deployment],
          ['API version', config.apiVersion],
        ];
  return (
    <dl className="facts">
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>
            <code className="path">{value}</code>
          </dd>
        </div>
      ))}
      <div>
        <dt>Keys</dt>
        <dd>Kept in this computer’s keychain; never shown again.</dd>
      </div>
    </dl>
  );
}

function CloudService({ provider, config }: { provider: CloudProvider; config: CloudConfig | undefined }) {
  const headingId = useId();
  const remove = useRemoveCloud();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const name = PROVIDER_LABELS[provider];
  return (
    <li className="card" aria-labelledby={headingId}>
      <h3 id={headingId} className="card-title">
        {name}
        <span className="badge">{config ? 'Set up' : 'Not set up'}</span>
      </h3>
      {config && !editing ? <CloudFacts config={config} /> : null}
      {editing ? (
        <CloudForm provider={provider} config={config} onDone={() => setEditing(false)} />
      ) : (
        <div className="row">
          <button type="button" className="button" onClick={() => setEditing(true)}>
            {config ? `Change ${name}` : `Set up ${name}`}
          </button>
          {config ? (
            <button type="button" className="button button-danger-quiet" onClick={() => setConfirming(true)}>
              Remove {name}
            </button>
          ) : null}
        </div>
      )}
      {confirming ? (
        <ConfirmDialog
          title={`Remove ${name}?`}
          confirmLabel="Remove"
          busy={remove.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={() => remove.mutate(provider, { onSettled: () => setConfirming(false) })}
        >
          Its settings and keys are deleted from this computer. Answers it already wrote stay in your
          conversations, marked as cloud answers.
        </ConfirmDialog>
      ) : null}
    </li>
  );
}

/** Settings › Tutor: the cloud services the tutor may use, with the student's own keys. */
export function CloudSettingsSection() {
  const status = useTutorStatus();
  return (
    <section className="card settings-section" aria-labelledby="tutor-settings-heading">
      <h2 id="tutor-settings-heading" className="card-title">
        Tutor
      </h2>
      <p className="muted">
        The tutor answers on this computer with a chat model from{' '}
        <Link to={settingsPath('models')}>Models</Link>. For a computer too small for one, you can set up a
        cloud service with your own keys.
      </p>
      <p className="cloud-note">
        Your question and the passages of your material it draws on are sent to a cloud service only when that
        service answers: when you choose it in the Tutor, or when the Tutor is on Automatic and no model on
        this computer can answer. Every answer it writes is marked as a cloud answer.
      </p>
      {status.isPending ? (
        <Loading label="Loading cloud services…" />
      ) : status.isError ? (
        <ErrorState error={status.error} what="the cloud services" onRetry={() => void status.refetch()} />
      ) : (
        <ul className="settings-stack" aria-label="Cloud services">
          {(['bedrock', 'azure'] as const).map((provider) => (
            <CloudService
              key={provider}
              provider={provider}
              config={status.data.cloud.find((config) => config.provider === provider)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
