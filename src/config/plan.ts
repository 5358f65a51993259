import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { validate as isCron } from 'node-cron';
import { z } from 'zod';
import { DEFAULT_EVIDENCE_TYPES } from '../domain/evidence-file.js';
import { ConfigError, describeIssues } from './env.js';

const columnName = z.string().min(1).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a column internal name (letters, digits, _)');

export const columnMappingSchema = z.object({
  ref: columnName.default('ActionRef'),
  title: columnName.default('Title'),
  plan: columnName.optional(),
  pillar: columnName.optional(),
  area: columnName.optional(),
  owner: columnName.optional().describe('person column'),
  ownerRole: columnName.optional().describe('role text column'),
  dueDate: columnName.default('DueDate'),
  dueDateText: columnName.optional().describe('the register\'s date text when it could not be read as a date'),
  originalDueDate: columnName.optional(),
  revisedDateReason: columnName.optional(),
  status: columnName.default('Status'),
  statusAsWritten: columnName.optional().describe('the register\'s own status wording, kept beside the canonical status'),
  progressNotes: columnName.optional(),
  evidenceLink: columnName.optional(),
  evidenceSummary: columnName.optional(),
  lastUpdate: columnName.optional(),
  lastUpdatedBy: columnName.optional(),
  qaStatus: columnName.optional(),
  qaReviewer: columnName.optional(),
  qaReviewerId: columnName.optional(),
  qaDate: columnName.optional(),
  qaComment: columnName.optional(),
  sampleStatus: columnName.optional(),
  sampledBy: columnName.optional(),
  sampledById: columnName.optional(),
  sampleDate: columnName.optional(),
  sampleComment: columnName.optional(),
});

const reviewersSchema = z
  .object({
    role: z.string().min(1).optional().describe('a role in the role directory'),
    people: z.array(z.string().min(1)).default([]).describe('Entra object ids'),
  })
  .refine((r) => r.role || r.people.length > 0, { message: 'needs a role or at least one person' });

export const qaConfigSchema = z.object({
  reviewers: reviewersSchema,
  /** What counts as evidence when a task is submitted as complete. */
  evidence: z.enum(['link', 'linkOrSummary']).default('link'),
  /** Reviewers are nudged about tasks awaiting QA for longer than this many working days… */
  nudgeAfterWorkingDays: z.number().int().min(0).max(60).default(3),
  /** …at most once in this many days. */
  nudgeEveryDays: z.number().int().min(1).max(60).default(3),
});

export const samplingConfigSchema = z.object({
  /** Share of tasks approved since the last sample that second-line assurance checks (at least one). */
  share: z.number().gt(0).max(1).default(0.1),
  assurers: reviewersSchema,
});

const statusList = z.array(z.string().min(1)).min(1);

export const statusVocabularySchema = z.object({
  complete: statusList.default(['Complete']),
  onTrack: statusList.default(['On Target']),
  behind: statusList.default(['Behind Target']),
  notStarted: statusList.default(['Yet to Start']),
  blocked: statusList.default(['Blocked']),
});

const days = z.number().int().min(1).max(90);
const cron = z.string().refine((c) => isCron(c), 'is not a valid cron expression (minute hour day-of-month month day-of-week)');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 07:00');

export const listConfigSchema = z
  .object({
    key: z.string().regex(/^[a-z0-9-]{1,32}$/, 'must be 1-32 lower-case letters, digits or dashes (used in card data)'),
    site: z.string().min(1).describe('site id, or hostname:/server-relative-path'),
    list: z.string().min(1).describe('list id or display name'),
    plan: z.string().min(1).describe('plan name shown when the list has no plan column'),
    columns: columnMappingSchema.prefault({}),
    statuses: statusVocabularySchema.prefault({}),
    qa: qaConfigSchema.optional(),
    sampling: samplingConfigSchema.optional(),
    /** What owners may type. Evidence links must point at these hosts (default: the list's SharePoint host). */
    input: z
      .object({
        evidenceHosts: z.array(z.string().regex(/^(\*\.)?[a-z0-9.-]+$/i, 'must be a host name such as contoso.sharepoint.com, or *.contoso.com')).min(1).optional(),
        revisedDateMaxYears: z.number().int().min(1).max(20).default(3),
        /** Files sent in the chat as evidence: kept in the list's site library, in `folder`/<task ref>/. */
        evidenceFiles: z
          .object({
            maxSizeMb: z.number().gt(0).max(250).default(25),
            types: z.array(z.string().regex(/^[a-z0-9]{1,10}$/, 'must be a file extension in lower case without the dot, such as pdf')).min(1).default(DEFAULT_EVIDENCE_TYPES),
            folder: z.string().min(1).max(100).regex(/^[^"*:<>?\\|#%]+$/, 'must be a folder path without " * : < > ? \\ | # %').default('Evidence'),
          })
          .prefault({}),
      })
      .prefault({}),
  })
  .refine((l) => l.columns.owner || l.columns.ownerRole, { message: 'columns needs owner (person) or ownerRole (text)', path: ['columns'] })
  .refine((l) => !l.qa || l.columns.qaStatus, { message: 'qa needs columns.qaStatus', path: ['columns', 'qaStatus'] })
  .refine((l) => !l.sampling || (l.qa && l.columns.sampleStatus), { message: 'sampling needs qa and columns.sampleStatus', path: ['sampling'] });

export const planConfigSchema = z.object({
  lists: z.array(listConfigSchema).min(1),
  roles: z
    .object({
      site: z.string().min(1),
      list: z.string().min(1).default('Roles'),
      columns: z
        .object({ role: columnName.default('Role'), people: columnName.default('People'), deputies: columnName.default('Deputies'), planLead: columnName.default('PlanLead') })
        .prefault({}),
    })
    .optional(),
  /** When jobs run, as cron expressions in TIME_ZONE; nothing is sent inside the quiet hours. */
  schedule: z
    .object({
      remind: cron.default('0 9 * * 1-5'),
      qaNudge: cron.default('30 9 * * 1-5'),
      sample: cron.default('0 7 * * 1'),
      digest: cron.default('0 8 * * 1'),
      housekeeping: cron.default('30 3 * * *'),
      quietHours: z.object({ start: hhmm, end: hhmm }).optional(),
    })
    .prefault({}),
  /**
   * Reaching people who never opened PlanPulse: it installs itself in their Teams (Graph permission
   * TeamsAppInstallation.ReadWriteSelfForUser.All, the app in the organisation's catalogue) and welcomes them.
   * off · owners (task owners, before their first reminder) · everyone (also reviewers, assurers, leaders).
   */
  reach: z
    .object({
      install: z.enum(['off', 'owners', 'everyone']).default('off'),
      catalogAppId: z.string().min(1).optional().describe("the app's id in the Teams app catalogue, when the app may not read the catalogue"),
    })
    .prefault({}),
  /** Who gets the weekly digest (default: holders of roles marked PlanLead). */
  digest: z
    .object({
      leaders: reviewersSchema,
      overdueShown: z.number().int().min(1).max(50).default(10),
      /** The leadership team's channel: the digest is posted there too (PlanPulse must be added to the team). */
      channel: z
        .object({
          conversationId: z.string().regex(/^19:/, 'must be the channel id, 19:…@thread.tacv2 (Teams: channel > Get link to channel)'),
          name: z.string().min(1).optional(),
          language: z.enum(['en', 'cy']).default('en').describe('the language of the channel\'s copy'),
        })
        .optional(),
    })
    .optional(),
  /** The Plan Updates list: one row per field PlanPulse changes, because app-only writes hide the person. */
  audit: z.object({ site: z.string().min(1), list: z.string().min(1).default('Plan Updates') }).optional(),
  rules: z
    .object({
      dueSoonDays: z.number().int().min(0).max(90).default(14),
      staleDays: z.number().int().min(1).max(365).default(30),
      /** Days before the same task is reminded again for the same reason. */
      cadenceDays: z
        .object({ overdue: days.default(3), dueSoon: days.default(7), noEvidence: days.default(7), stale: days.default(7) })
        .prefault({}),
      /** Overdue more than `overdueDays` after `afterReminders` reminders with no update: tell the owner's manager. */
      escalation: z.object({ overdueDays: z.number().int().min(0).default(14), afterReminders: z.number().int().min(1).default(3) }).prefault({}),
    })
    .prefault({}),
});

export type PlanConfig = z.infer<typeof planConfigSchema>;
export type ListConfig = z.infer<typeof listConfigSchema>;
export type ColumnMapping = z.infer<typeof columnMappingSchema>;
export type QaConfig = z.infer<typeof qaConfigSchema>;
export type SamplingConfig = z.infer<typeof samplingConfigSchema>;

export function parsePlanConfig(raw: unknown, source: string): PlanConfig {
  const result = planConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(describeIssues(result.error.issues, source));
  const keys = result.data.lists.map((l) => l.key);
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup) throw new ConfigError([`${source} lists: key "${dup}" is used twice`]);
  return result.data;
}

export function loadPlanConfig(path: string): PlanConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError([`PLAN_CONFIG: cannot read ${path} (${(e as Error).message})`]);
  }
  let raw: unknown;
  try {
    raw = ['.yaml', '.yml'].includes(extname(path).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new ConfigError([`${path}: not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'} (${(e as Error).message})`]);
  }
  return parsePlanConfig(raw, path);
}
