import { formatDate, isIsoDate, type IsoDate } from './dates.js';
import type { ListPolicy, QaPolicy } from './policy.js';
import { categoryOf, QA, type StatusVocabulary, type Task } from './task.js';

/** What an owner asked to change, as typed into the card. Blank fields mean "leave as is". */
export interface UpdateRequest {
  status?: string;
  note?: string;
  evidenceLink?: string;
  evidenceSummary?: string;
  revisedDate?: string;
  revisedReason?: string;
}

/** The task fields to write, in domain terms; the SharePoint adapter maps them to columns. */
export type TaskChanges = Partial<
  Pick<
    Task,
    | 'status' | 'progressNotes' | 'evidenceLink' | 'evidenceSummary' | 'dueDate' | 'originalDueDate' | 'revisedDateReason' | 'lastUpdate'
    | 'qaStatus' | 'qaReviewer' | 'qaReviewerId' | 'qaDate' | 'qaComment' | 'sampleStatus' | 'sampledBy' | 'sampledById' | 'sampleDate' | 'sampleComment'
  >
> & { lastUpdatedBy?: string };

export const LIMITS = { note: 2000, evidenceLink: 255, evidenceSummary: 1000, revisedReason: 500 } as const;

export type UpdateOutcome = { ok: true; changes: TaskChanges; summary: string[] } | { ok: false; errors: string[] };

const present = (v: string | undefined): v is string => typeof v === 'string' && v.trim().length > 0;

function tooLong(label: string, value: string, limit: number): string | undefined {
  return value.length > limit
    ? `${label} is too long (${value.length.toLocaleString('en-GB')} characters; the limit is ${limit.toLocaleString('en-GB')}).`
    : undefined;
}

/** Only https links to a real host: no javascript:, data:, file: or plain http. */
export function evidenceLinkProblem(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return `Evidence link "${link.slice(0, 80)}" is not a web address. Paste the full https:// link to the document.`;
  }
  if (url.protocol !== 'https:') return `Evidence link must start with https:// (got ${url.protocol}).`;
  if (!url.hostname) return 'Evidence link has no host name.';
  return undefined;
}

/**
 * Checks an owner's update against the task and the list's vocabulary and turns it into the changes to write.
 * Returns every problem at once so the owner can fix them in one go.
 */
export function planUpdate(
  task: Task,
  request: UpdateRequest,
  policy: ListPolicy,
  actor: { displayName: string },
  now: { instant: string; today: IsoDate },
): UpdateOutcome {
  const { vocabulary } = policy;
  const errors: string[] = [];
  const summary: string[] = [];
  const changes: TaskChanges = { lastUpdate: now.instant, lastUpdatedBy: actor.displayName };

  if (present(request.status) && request.status !== task.status) {
    if (!categoryOf(request.status, vocabulary)) {
      const allowed = Object.values(vocabulary).flat().join(', ');
      errors.push(`"${request.status.slice(0, 60)}" is not a status this plan uses. Choose one of: ${allowed}.`);
    } else {
      changes.status = request.status;
      summary.push(`status ${task.status || '(none)'} → ${request.status}`);
    }
  }

  if (present(request.note)) {
    const problem = tooLong('Progress note', request.note, LIMITS.note);
    if (problem) errors.push(problem);
    else {
      const entry = `[${now.today} ${actor.displayName}] ${request.note.trim()}`;
      changes.progressNotes = task.progressNotes?.trim() ? `${entry}\n${task.progressNotes}` : entry;
      summary.push('progress note added');
    }
  }

  if (present(request.evidenceLink) && request.evidenceLink.trim() !== task.evidenceLink) {
    const problem = tooLong('Evidence link', request.evidenceLink, LIMITS.evidenceLink) ?? evidenceLinkProblem(request.evidenceLink);
    if (problem) errors.push(problem);
    else {
      changes.evidenceLink = request.evidenceLink.trim();
      summary.push('evidence link set');
    }
  }

  if (present(request.evidenceSummary) && request.evidenceSummary.trim() !== task.evidenceSummary) {
    const problem = tooLong('Evidence description', request.evidenceSummary, LIMITS.evidenceSummary);
    if (problem) errors.push(problem);
    else {
      changes.evidenceSummary = request.evidenceSummary.trim();
      summary.push('evidence description set');
    }
  }

  if (present(request.revisedDate) || present(request.revisedReason)) {
    if (!present(request.revisedDate)) errors.push('A reason was given but no revised date. Pick the new date, or clear the reason.');
    else if (!isIsoDate(request.revisedDate.trim())) errors.push(`"${request.revisedDate.slice(0, 40)}" is not a real date. Use the date picker (YYYY-MM-DD).`);
    else if (!present(request.revisedReason)) errors.push('A revised date needs a reason: committees are told why dates move.');
    else {
      const reasonProblem = tooLong('Reason for the revised date', request.revisedReason, LIMITS.revisedReason);
      const revised = request.revisedDate.trim();
      if (reasonProblem) errors.push(reasonProblem);
      else if (revised < now.today) errors.push(`The revised date ${formatDate(revised)} is in the past. Choose today or a later date.`);
      else if (revised !== task.dueDate) {
        changes.dueDate = revised;
        // Keep the first committed date: committees report original and revised dates side by side.
        if (!task.originalDueDate && task.dueDate) changes.originalDueDate = task.dueDate;
        changes.revisedDateReason = request.revisedReason.trim();
        summary.push(`due date ${task.dueDate ? formatDate(task.dueDate) : '(none)'} → ${formatDate(revised)}`);
      }
    }
  }

  if (errors.length === 0 && policy.qa) errors.push(...applyQaRules(task, changes, summary, vocabulary, policy.qa));

  if (errors.length > 0) return { ok: false, errors };
  if (summary.length === 0) return { ok: false, errors: ['Nothing to save: change the status, add a note, evidence or a revised date.'] };
  return { ok: true, changes, summary };
}

/**
 * QA on top of an owner's update. Approved work is locked (notes are still allowed). Setting a task complete, or
 * adding evidence to a complete task that was never submitted, submits it for QA and needs evidence first. Moving a
 * submitted task out of "complete" withdraws it.
 */
function applyQaRules(task: Task, changes: TaskChanges, summary: string[], vocabulary: StatusVocabulary, qa: QaPolicy): string[] {
  const statusChanged = changes.status !== undefined;
  const evidenceChanged = changes.evidenceLink !== undefined || changes.evidenceSummary !== undefined;
  if (task.qaStatus === QA.approved && (statusChanged || evidenceChanged))
    return [`${task.ref} was approved by QA${task.qaReviewer ? ` (${task.qaReviewer}${task.qaDate ? `, ${formatDate(task.qaDate)}` : ''})` : ''}, so its status and evidence are locked. You can still add a progress note.`];
  if (categoryOf(changes.status ?? task.status, vocabulary) !== 'complete') {
    if (statusChanged && task.qaStatus === QA.awaiting) {
      changes.qaStatus = QA.notSubmitted;
      summary.push('withdrawn from QA');
    }
    return [];
  }
  const pending = task.qaStatus === QA.awaiting;
  if (!statusChanged && (pending || !evidenceChanged)) return [];
  const link = changes.evidenceLink ?? task.evidenceLink;
  const description = changes.evidenceSummary ?? task.evidenceSummary;
  if (qa.evidence === 'link' ? !link : !(link || description))
    return [`Add evidence before submitting for QA: ${qa.evidence === 'link' ? 'an evidence link (https://…) to the document that shows the work is done' : 'an evidence link or a description of what shows the work is done'}.`];
  changes.qaStatus = QA.awaiting;
  summary.push('submitted for QA');
  return [];
}
