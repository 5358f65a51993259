import type { Say } from './say.js';
import type { IsoDate } from './dates.js';
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

function checkComment(decision: Decision, required: boolean, what: 'return' | 'challenge', say: Say): string | undefined {
  const comment = decision.comment?.trim() ?? '';
  if (required && !comment) return say(`qa.needsComment.${what}`);
  if (comment.length > QA_COMMENT_LIMIT) return say('qa.commentTooLong', { length: comment.length, limit: QA_COMMENT_LIMIT });
  return undefined;
}

/**
 * "Quality Assurance by Owner": approve, or return with a reason. Segregation of duties: only configured reviewers
 * decide, never on a task they answer for, and only while the task is awaiting QA.
 */
export function planQaDecision(task: Task, decision: Decision, reviewer: Decider, policy: ListPolicy, roles: RoleDirectory, today: IsoDate, say: Say): DecisionOutcome {
  if (!policy.qa) return { ok: false, reason: 'notAllowed', message: say('qa.notSetUp', { ref: task.ref }) };
  if (mayUpdate(task, reviewer.aadObjectId, roles))
    return { ok: false, reason: 'self', message: say('qa.self', { ref: task.ref }) };
  if (!selectedIds(policy.qa.reviewers, roles).includes(reviewer.aadObjectId))
    return { ok: false, reason: 'notAllowed', message: say('qa.notReviewer', { ref: task.ref }) };
  if (task.qaStatus !== QA.awaiting) return { ok: false, reason: 'alreadyDecided', message: alreadyDecided(task, say) };
  const problem = checkComment(decision, decision.kind === 'return', 'return', say);
  if (problem) return { ok: false, reason: 'invalid', message: problem };
  const comment = decision.comment?.trim() ?? '';
  const base = { qaDate: today, qaReviewer: reviewer.displayName, qaReviewerId: reviewer.aadObjectId, qaComment: comment };
  if (decision.kind === 'approve') return { ok: true, changes: { ...base, qaStatus: QA.approved }, summary: say('qa.did.approved', { name: reviewer.displayName }) };
  // Back in progress: "behind" when the due date has passed, otherwise "on track".
  const late = task.dueDate !== undefined && task.dueDate < today;
  const status = (late ? policy.vocabulary.behind[0] : policy.vocabulary.onTrack[0]) ?? task.status;
  return { ok: true, changes: { ...base, qaStatus: QA.returned, status }, summary: say('qa.did.returned', { name: reviewer.displayName }) };
}

function alreadyDecided(task: Task, say: Say): string {
  if (task.qaStatus === QA.approved) return say('qa.alreadyApproved', { ref: task.ref, by: task.qaReviewer ?? 'none', on: task.qaDate ? say.date(task.qaDate) : 'none' });
  if (task.qaStatus === QA.returned) return say('qa.alreadyReturned', { ref: task.ref, by: task.qaReviewer ?? 'none' });
  return say('qa.notAwaiting', { ref: task.ref, status: task.qaStatus || QA.notSubmitted });
}

/**
 * Second-line assurance on a sampled task: confirm, or challenge with a reason, which sends it back to QA. The
 * assurer may not sample a task they answer for or approved themselves.
 */
export function planSampleDecision(task: Task, decision: Decision, assurer: Decider, policy: ListPolicy, roles: RoleDirectory, today: IsoDate, say: Say): DecisionOutcome {
  if (!policy.sampling) return { ok: false, reason: 'notAllowed', message: say('sample.notSetUp', { ref: task.ref }) };
  if (mayUpdate(task, assurer.aadObjectId, roles) || task.qaReviewerId === assurer.aadObjectId)
    return { ok: false, reason: 'self', message: say('sample.self', { ref: task.ref }) };
  if (!selectedIds(policy.sampling.assurers, roles).includes(assurer.aadObjectId))
    return { ok: false, reason: 'notAllowed', message: say('sample.notAssurer', { ref: task.ref }) };
  if (task.sampleStatus !== SAMPLE.selected)
    return { ok: false, reason: 'alreadyDecided', message: say('sample.notWaiting', { ref: task.ref, status: task.sampleStatus || SAMPLE.notSampled, by: task.sampledBy ?? 'none' }) };
  const problem = checkComment(decision, decision.kind === 'challenge', 'challenge', say);
  if (problem) return { ok: false, reason: 'invalid', message: problem };
  const base = { sampleDate: today, sampledBy: assurer.displayName, sampledById: assurer.aadObjectId, sampleComment: decision.comment?.trim() ?? '' };
  if (decision.kind === 'confirm') return { ok: true, changes: { ...base, sampleStatus: SAMPLE.confirmed }, summary: say('sample.did.confirmed', { name: assurer.displayName }) };
  return { ok: true, changes: { ...base, sampleStatus: SAMPLE.challenged, qaStatus: QA.awaiting }, summary: say('sample.did.challenged', { name: assurer.displayName }) };
}
