import { z } from 'zod';

export const ClassIdSchema = z.string().uuid();

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a 24-hour time such as 09:30');

/** One weekly meeting of a class. `day` counts from Monday = 1 to Sunday = 7 (ISO weekday). */
export const ClassMeetingSchema = z
  .object({
    day: z.number().int().min(1).max(7),
    start: time,
    end: time,
    location: z.string().trim().max(120).optional(),
  })
  .refine((m) => m.end > m.start, { message: 'A meeting must end after it starts', path: ['end'] });
export type ClassMeeting = z.infer<typeof ClassMeetingSchema>;

const isoDate = z.iso.date({ message: 'Use a date such as 2026-12-14' });

export const ExamInputSchema = z.object({
  /** Sent back for an exam that already exists, so edits keep its identity. */
  id: z.string().uuid().optional(),
  title: z.string().trim().min(1, 'Give the exam a name').max(120),
  date: isoDate,
  time: time.optional(),
});
export type ExamInput = z.infer<typeof ExamInputSchema>;

export const ExamSchema = ExamInputSchema.required({ id: true });
export type Exam = z.infer<typeof ExamSchema>;

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour such as #4f7cff');

const classFields = {
  name: z.string().trim().min(1, 'A class needs a name').max(120),
  code: z.string().trim().max(40),
  term: z.string().trim().max(60),
  color: colour,
  instructor: z.string().trim().max(120),
  schedule: z.array(ClassMeetingSchema).max(21),
  exams: z.array(ExamInputSchema).max(50),
};

export const ClassInputSchema = z.object({
  ...classFields,
  code: classFields.code.default(''),
  term: classFields.term.default(''),
  color: classFields.color.default('#4f7cff'),
  instructor: classFields.instructor.default(''),
  schedule: classFields.schedule.default([]),
  exams: classFields.exams.default([]),
});
export type ClassInput = z.input<typeof ClassInputSchema>;

/** Only the fields the caller sent change; `exams`, when sent, replaces the whole list. */
export const ClassPatchSchema = z
  .object({ ...classFields, archived: z.boolean() })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'Nothing to change' });
export type ClassPatch = z.infer<typeof ClassPatchSchema>;

export const ClassSchema = z.object({
  id: ClassIdSchema,
  name: z.string(),
  code: z.string(),
  term: z.string(),
  color: z.string(),
  instructor: z.string(),
  schedule: z.array(ClassMeetingSchema),
  exams: z.array(ExamSchema),
  archived: z.boolean(),
  sortOrder: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StudyClass = z.infer<typeof ClassSchema>;

export const classProcedures = {
  'classes.list': {
    input: z.object({ includeArchived: z.boolean().default(false) }).default({ includeArchived: false }),
    output: z.array(ClassSchema),
  },
  'classes.get': { input: z.object({ id: ClassIdSchema }), output: ClassSchema },
  'classes.create': { input: ClassInputSchema, output: ClassSchema },
  'classes.update': {
    input: z.object({
      id: ClassIdSchema,
      patch: ClassPatchSchema,
    }),
    output: ClassSchema,
  },
  /** Puts the given classes first, in that order; the others keep their relative order after them. */
  'classes.reorder': {
    input: z.object({ ids: z.array(ClassIdSchema).min(1).max(10_000) }),
    output: z.object({ ok: z.literal(true) }),
  },
  'classes.delete': { input: z.object({ id: ClassIdSchema }), output: z.object({ id: ClassIdSchema }) },
} as const;
