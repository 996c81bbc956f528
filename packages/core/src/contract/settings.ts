import { z } from 'zod';
import { AUTO_BACKUP_DEFAULTS, AutoBackupSchema } from './backups.js';
import { ReadingSpeedSchema, VoiceIdSchema } from './read-aloud.js';
import { TutorEngineChoiceSchema } from './tutor.js';

export const ThemeSchema = z.enum(['system', 'light', 'dark']);

const settingFields = {
  theme: ThemeSchema,
  weekStartsOn: z.enum(['monday', 'sunday']),
  /** How many background jobs may run at once. */
  jobConcurrency: z.number().int().min(1).max(8),
  /** The installed embedding model search uses for meaning; null searches by keyword only. */
  embeddingModelId: z.string().min(1).max(100).nullable(),
  /** Which engine the tutor answers with (see `tutor.status` for what that resolves to). */
  tutorEngine: TutorEngineChoiceSchema,
  /** The speech model for live captions and imports; null picks the best installed one. */
  transcriptionModelId: z.string().min(1).max(100).nullable(),
  /** "Use the graphics card" for local AI: 'auto' uses it when one works, 'off' never. */
  useGpu: z.enum(['auto', 'off']),
  /** Language spoken in lectures: 'auto' detects it (multilingual models only). */
  transcriptionLanguage: z.string().regex(/^(auto|[a-z]{2,3})$/, 'auto or a language code such as en'),
  /** Backups made by themselves while the app is open (Settings › Your data). */
  autoBackup: AutoBackupSchema,
  /** The voice "Read aloud" uses; null: the first installed Piper voice, else espeak-ng. */
  readAloudVoiceId: VoiceIdSchema.nullable(),
  /** 1 is the voice's normal speed. */
  readAloudSpeed: ReadingSpeedSchema,
};

export const SETTING_DEFAULTS = {
  theme: 'system',
  weekStartsOn: 'monday',
  jobConcurrency: 2,
  embeddingModelId: null,
  tutorEngine: { kind: 'auto' },
  transcriptionModelId: null,
  transcriptionLanguage: 'en',
  autoBackup: AUTO_BACKUP_DEFAULTS,
  useGpu: 'auto',
  readAloudVoiceId: null,
  readAloudSpeed: 1,
} as const satisfies { [K in keyof typeof settingFields]: z.infer<(typeof settingFields)[K]> };

export const SettingsSchema = z.object(settingFields);
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingKey = keyof Settings;

/** Only the settings the caller names change. */
export const SettingsPatchSchema = z
  .object(settingFields)
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'Nothing to change' });

export const settingsProcedures = {
  'settings.get': { input: z.object({}).default({}), output: SettingsSchema },
  'settings.update': { input: SettingsPatchSchema, output: SettingsSchema },
} as const;
