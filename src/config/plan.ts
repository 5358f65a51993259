import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
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
  originalDueDate: columnName.optional(),
  revisedDateReason: columnName.optional(),
  status: columnName.default('Status'),
  progressNotes: columnName.optional(),
  evidenceLink: columnName.optional(),
  evidenceSummary: columnName.optional(),
  lastUpdate: columnName.optional(),
  lastUpdatedBy: columnName.optional(),
});

const statusList = z.array(z.string().min(1)).min(1);

export const statusVocabularySchema = z.object({
  complete: statusList.default(['Complete']),
  onTrack: statusList.default(['On Target']),
  behind: statusList.default(['Behind Target']),
  notStarted: statusList.default(['Yet to Start']),
  blocked: statusList.default(['Blocked']),
});

export const listConfigSchema = z
  .object({
    key: z.string().regex(/^[a-z0-9-]{1,32}$/, 'must be 1-32 lower-case letters, digits or dashes (used in card data)'),
    site: z.string().min(1).describe('site id, or hostname:/server-relative-path'),
    list: z.string().min(1).describe('list id or display name'),
    plan: z.string().min(1).describe('plan name shown when the list has no plan column'),
    columns: columnMappingSchema.prefault({}),
    statuses: statusVocabularySchema.prefault({}),
  })
  .refine((l) => l.columns.owner || l.columns.ownerRole, { message: 'columns needs owner (person) or ownerRole (text)', path: ['columns'] });

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
  rules: z.object({ dueSoonDays: z.number().int().min(0).max(90).default(14), staleDays: z.number().int().min(1).max(365).default(30) }).prefault({}),
});

export type PlanConfig = z.infer<typeof planConfigSchema>;
export type ListConfig = z.infer<typeof listConfigSchema>;
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

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
