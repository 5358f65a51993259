import { formatDate, type IsoDate } from './dates.js';
import type { PeopleSelector, ListPolicy } from './policy.js';
import { mayUpdate } from './reminders.js';
import type { RoleDirectory } from './roles.js';
import { QA, SAMPLE, type Task } from './task.js';
import type { TaskChanges } from './update.js';

export const QA_COMMENT_LIMIT = 1000;

export interface Decider {
  aadObjectId: string;
  displayName: string;
}

export type Decision = { kind: 'approve' | 'return' | 'confirm' | 'challenge'; comment?: string };

export type DecisionOutcome =
  | { ok: true; changes: TaskChanges; summary: string }
  | { ok: false; reason: 'self' | 'notAllowed' | 'alreadyDecided' | 'invalid'; message: string };

/** The Entra ids a selector names: the role's holders and deputies, plus named people. */
export function selectedIds(selector: PeopleSelector, roles: RoleDirectory): string[] {
  const fromRole = selector.role ? roles.resolve(selector.role) : { people: [], deputies: [] };
  return [...new Set([...fromRole.people, ...fromRole.deputies].map((p) => p.aadObjectId).concat(selector.people))];
}

/** Reviewers who may decide this task: never its owner, a holder of its owner role or their deputy. */
export function eligibleDeciders(task: Task, selector: PeopleSelector, roles: RoleDirectory): string[] {
  return selectedIds(selector, roles).filter((id) => !mayUpdate(task, id, roles));
}

function checkComment(decision: Decision, required: boolean, what: string): string | undefined {
  const comment = decision.comment?.trim() ?? '';
  if (required && !comment) return `A ${what} needs a comment saying why, so the owner knows what to fix.`;
  if (comment.length > QA_COMMENT_LIMIT) return `The comment is too long (${comment.length.toLocaleString('en-GB')} characters; the limit is ${QA_COMMENT_LIMIT.toLocaleString('en-GB')}).`;
  return undefined;
}

/**
 * "Quality Assurance by Owner": approve, or return with a reason. Segregation of duties: only configured reviewers
 * decide, never on a task they answer for, and only while the task is awaiting QA.
 */
export function planQaDecision(task: Task, decision: Decision, reviewer: Decider, policy: ListPolicy, roles: RoleDirectory, today: IsoDate): DecisionOutcome {
  if (!policy.qa) return { ok: false, reason: 'notAllowed', message: `QA sign-off is not set up for ${task.ref}'s list.` };
  if (mayUpdate(task, reviewer.aadObjectId, roles))
    return { ok: false, reason: 'self', message: `You answer for ${task.ref}, so you cannot QA it yourself. Another reviewer must decide.` };
  if (!selectedIds(policy.qa.reviewers, roles).includes(reviewer.aadObjectId))
    return { ok: false, reason: 'notAllowed', message: `Only the plan's QA reviewers can approve or return ${task.ref}.` };
  if (task.qaStatus !== QA.awaiting) return { ok: false, reason: 'alreadyDecided', message: alreadyDecided(task) };
  const problem = checkComment(decision, decision.kind === 'return', 'return');
  if (problem) return { ok: false, reason: 'invalid', message: problem };
  const comment = decision.comment?.trim() ?? '';
  const base = { qaDate: today, qaReviewer: reviewer.displayName, qaReviewerId: reviewer.aadObjectId, qaComment: comment };
  if (decision.kind === 'approve') return { ok: true, changes: { ...base, qaStatus: QA.approved }, summary: `approved by ${reviewer.displayName}` };
  // Back in progress: "behind" when the due date has passed, otherwise "on track".
  const late = task.dueDate !== undefined && task.dueDate < today;
  const status = (late ? policy.vocabulary.behind[0] : policy.vocabulary.onTrack[0]) ?? task.status;
  return { ok: true, changes: { ...base, qaStatus: QA.returned, status }, summary: `returned by ${reviewer.displayName}` };
}

function alreadyDecided(task: Task): string {
  if (task.qaStatus === QA.approved) return `${task.ref} was already approved${task.qaReviewer ? ` by ${task.qaReviewer}` : ''}${task.qaDate ? ` on ${formatDate(task.qaDate)}` : ''}. Nothing was changed.`;
  if (task.qaStatus === QA.returned) return `${task.ref} was already returned to its owner${task.qaReviewer ? ` by ${task.qaReviewer}` : ''}. Nothing was changed.`;
  return `${task.ref} is not awaiting QA any more (it is "${task.qaStatus || QA.notSubmitted}"). Nothing was changed.`;
}

/**
 * Second-line assurance on a sampled task: confirm, or challenge with a reason, which sends it back to QA. The
 * assurer may not sample a task they answer for or approved themselves.
 */
export function planSampleDecision(task: Task, decision: Decision, assurer: Decider, policy: ListPolicy, roles: RoleDirectory, today: IsoDate): DecisionOutcome {
  if (!policy.sampling) return { ok: false, reason: 'notAllowed', message: `Sampling is not set up for ${task.ref}'s list.` };
  if (mayUpdate(task, assurer.aadObjectId, roles) || task.qaReviewerId === assurer.aadObjectId)
    return { ok: false, reason: 'self', message: `You answer for or approved ${task.ref}, so you cannot sample it. Another assurer must decide.` };
  if (!selectedIds(policy.sampling.assurers, roles).includes(assurer.aadObjectId))
    return { ok: false, reason: 'notAllowed', message: `Only the plan's assurance team can confirm or challenge ${task.ref}.` };
  if (task.sampleStatus !== SAMPLE.selected)
    return { ok: false, reason: 'alreadyDecided', message: `${task.ref} is not waiting for a sample check (it is "${task.sampleStatus || SAMPLE.notSampled}"${task.sampledBy ? `, by ${task.sampledBy}` : ''}). Nothing was changed.` };
  const problem = checkComment(decision, decision.kind === 'challenge', 'challenge');
  if (problem) return { ok: false, reason: 'invalid', message: problem };
  const base = { sampleDate: today, sampledBy: assurer.displayName, sampledById: assurer.aadObjectId, sampleComment: decision.comment?.trim() ?? '' };
  if (decision.kind === 'confirm') return { ok: true, changes: { ...base, sampleStatus: SAMPLE.confirmed }, summary: `sample confirmed by ${assurer.displayName}` };
  return { ok: true, changes: { ...base, sampleStatus: SAMPLE.challenged, qaStatus: QA.awaiting }, summary: `challenged by ${assurer.displayName} and sent back to QA` };
}
