import { addDays, isIsoDate, type IsoDate } from './dates.js';
import type { InputRules, ListPolicy, QaPolicy } from './policy.js';
import type { Say } from './say.js';
import { categoryOf, QA, type StatusVocabulary, type Task } from './task.js';

/** What an owner asked to change, as typed into the card. Blank fields mean "leave as is". */
export interface UpdateRequest {
  status?: string;
  note?: string;
  evidenceLink?: string;
  evidenceSummary?: string;
  revisedDate?: string;
  revisedReason?: string;
  /**
   * A file PlanPulse itself stored in the plan's library (sent in the chat): its link is set as the evidence link.
   * Never taken from card data; the link is the library's own, so the rules for links people type do not apply.
   */
  storedFile?: { link: string; name: string };
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

function tooLong(say: Say, field: string, value: string, limit: number): string | undefined {
  return value.length > limit ? say('update.tooLong', { field: say(`update.field.${field}`), length: value.length, limit }) : undefined;
}

const shown = (text: string, n = 80) => JSON.stringify(text.length > n ? `${text.slice(0, n - 1)}…` : text);

function hostAllowed(host: string, allowed: string[]): boolean {
  return allowed.some((a) => {
    const rule = a.trim().toLowerCase();
    return rule.startsWith('*.') ? host.endsWith(rule.slice(1)) : host === rule;
  });
}

/**
 * An evidence link as a URL: https only, a host on the plan's list (by default its SharePoint site's), no user name
 * or password, no look-alike (non-ASCII) host unless that host is listed in its xn-- form, and nothing that could
 * break out of a link or a card. Returns the link to store (normalised) or why it is refused.
 */
export function checkEvidenceLink(link: string, allowedHosts: string[], say: Say): { ok: true; link: string } | { ok: false; problem: string } {
  const text = link.trim();
  if (!/^https:\/\//i.test(text)) return { ok: false, problem: say('update.link.https', { got: shown(text) }) };
  if (/[\s<>"'`\\[\]{}|^\u0000-\u001f\u007f]/u.test(text)) return { ok: false, problem: say('update.link.characters', { link: shown(text) }) };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: say('update.link.notAddress', { link: shown(text) }) };
  }
  if (url.username || url.password) return { ok: false, problem: say('update.link.credentials') };
  const host = url.hostname.toLowerCase();
  const lookalike = host.split('.').some((label) => label.startsWith('xn--'));
  // A name in non-Latin letters can imitate another: only an exact entry for it, never a wildcard, lets it in.
  if (lookalike && !allowedHosts.some((a) => a.trim().toLowerCase() === host))
    return { ok: false, problem: say('update.link.lookalike', { host, hosts: allowedHosts.join(', ') }) };
  if (!hostAllowed(host, allowedHosts))
    return { ok: false, problem: say('update.link.host', { host, hosts: allowedHosts.join(', ') }) };
  return { ok: true, link: url.href };
}

/** The person's name as it goes into a signed note header: one line, no brackets that could end the header early. */
function signature(name: string): string {
  return name.replace(/[\r\n\u2028\u2029[\]]+/g, ' ').trim().slice(0, 120) || 'Unknown user';
}

/**
 * A signed progress note. Headers `[YYYY-MM-DD Name]` only ever start an entry; every further line a person typed is
 * indented, so no typed line can pass for another person's signed entry.
 */
export function signedNote(today: IsoDate, name: string, note: string): string {
  const lines = note.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/g, ' ').trim().split('\n').map((l) => l.trimEnd());
  return [`[${today} ${signature(name)}] ${lines[0]}`, ...lines.slice(1).map((l) => `  ${l}`)].join('\n');
}

/** The vocabulary's own spelling of a status typed or chosen in any case, with stray spaces. */
export function canonicalStatus(status: string, vocabulary: StatusVocabulary): string | undefined {
  const wanted = status.trim().replace(/\s+/g, ' ').toLowerCase();
  return Object.values(vocabulary).flat().find((v) => v.toLowerCase() === wanted);
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
  say: Say,
): UpdateOutcome {
  const { vocabulary } = policy;
  const errors: string[] = [];
  const summary: string[] = [];
  const changes: TaskChanges = { lastUpdate: now.instant, lastUpdatedBy: actor.displayName };

  if (present(request.status)) {
    const status = canonicalStatus(request.status, vocabulary);
    if (!status) {
      const allowed = Object.values(vocabulary).flat().join(', ');
      errors.push(say('update.statusUnknown', { status: shown(request.status, 60), allowed }));
    } else if (status !== task.status) {
      changes.status = status;
      summary.push(say('update.did.status', { from: task.status || say('update.none'), to: status }));
    }
  }

  if (present(request.note)) {
    const problem = tooLong(say, 'note', request.note, LIMITS.note);
    if (problem) errors.push(problem);
    else {
      const entry = signedNote(now.today, actor.displayName, request.note);
      changes.progressNotes = task.progressNotes?.trim() ? `${entry}\n${task.progressNotes}` : entry;
      summary.push(say('update.did.note'));
    }
  }

  if (present(request.evidenceLink) && request.evidenceLink.trim() !== task.evidenceLink) {
    const checked = checkEvidenceLink(request.evidenceLink, policy.input.evidenceHosts, say);
    const problem = tooLong(say, 'evidenceLink', request.evidenceLink, LIMITS.evidenceLink) ?? (checked.ok ? undefined : checked.problem);
    if (problem) errors.push(problem);
    else if (checked.ok && checked.link !== task.evidenceLink) {
      changes.evidenceLink = checked.link;
      summary.push(say('update.did.link'));
    }
  }

  if (request.storedFile) {
    const problem = tooLong(say, 'storedLink', request.storedFile.link, LIMITS.evidenceLink);
    if (problem) errors.push(`${problem} ${say('update.shortenName')}`);
    else if (request.storedFile.link !== task.evidenceLink) {
      changes.evidenceLink = request.storedFile.link;
      summary.push(say('update.did.file', { name: request.storedFile.name }));
    }
  }

  if (present(request.evidenceSummary) && request.evidenceSummary.trim() !== task.evidenceSummary) {
    const problem = tooLong(say, 'evidenceSummary', request.evidenceSummary, LIMITS.evidenceSummary);
    if (problem) errors.push(problem);
    else {
      changes.evidenceSummary = request.evidenceSummary.trim();
      summary.push(say('update.did.summary'));
    }
  }

  if (present(request.revisedDate) || present(request.revisedReason)) {
    if (!present(request.revisedDate)) errors.push(say('update.revised.noDate'));
    else if (!isIsoDate(request.revisedDate.trim())) errors.push(say('update.revised.notDate', { text: request.revisedDate.slice(0, 40) }));
    else if (!present(request.revisedReason)) errors.push(say('update.revised.noReason'));
    else {
      const reasonProblem = tooLong(say, 'revisedReason', request.revisedReason, LIMITS.revisedReason);
      const revised = request.revisedDate.trim();
      const latest = latestRevisedDate(task, now.today, policy.input);
      if (reasonProblem) errors.push(reasonProblem);
      else if (revised < now.today) errors.push(say('update.revised.past', { date: say.date(revised) }));
      else if (revised > latest) errors.push(say('update.revised.tooLate', { date: say.date(revised), years: policy.input.revisedDateMaxYears, latest: say.date(latest) }));
      else if (revised !== task.dueDate) {
        changes.dueDate = revised;
        // Keep the first committed date: committees report original and revised dates side by side.
        if (!task.originalDueDate && task.dueDate) changes.originalDueDate = task.dueDate;
        changes.revisedDateReason = request.revisedReason.trim();
        summary.push(say('update.did.due', { from: task.dueDate ? say.date(task.dueDate) : say('update.none'), to: say.date(revised) }));
      }
    }
  }

  if (errors.length === 0 && policy.qa) errors.push(...applyQaRules(task, changes, summary, vocabulary, policy.qa, say));

  if (errors.length > 0) return { ok: false, errors };
  if (summary.length === 0) return { ok: false, errors: [say('update.nothing')] };
  return { ok: true, changes, summary };
}

/** The latest revised date a list accepts: some years after the original due date (or today, without one). */
export function latestRevisedDate(task: Task, today: IsoDate, rules: InputRules): IsoDate {
  const from = task.originalDueDate ?? task.dueDate ?? today;
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  const years = `${String(y + rules.revisedDateMaxYears).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(m === 2 && d === 29 ? 28 : d).padStart(2, '0')}`;
  return isIsoDate(years) ? years : addDays(from, 365 * rules.revisedDateMaxYears);
}

/**
 * QA on top of an owner's update. Approved work is locked (notes are still allowed). Setting a task complete, or
 * adding evidence to a complete task that was never submitted, submits it for QA and needs evidence first. Moving a
 * submitted task out of "complete" withdraws it.
 */
function applyQaRules(task: Task, changes: TaskChanges, summary: string[], vocabulary: StatusVocabulary, qa: QaPolicy, say: Say): string[] {
  const statusChanged = changes.status !== undefined;
  const evidenceChanged = changes.evidenceLink !== undefined || changes.evidenceSummary !== undefined;
  if (task.qaStatus === QA.approved && (statusChanged || evidenceChanged))
    return [say('update.locked', { ref: task.ref, by: task.qaReviewer ? ` (${task.qaReviewer}${task.qaDate ? `, ${say.date(task.qaDate)}` : ''})` : '' })];
  if (categoryOf(changes.status ?? task.status, vocabulary) !== 'complete') {
    if (statusChanged && task.qaStatus === QA.awaiting) {
      changes.qaStatus = QA.notSubmitted;
      summary.push(say('update.did.withdrawn'));
    }
    return [];
  }
  const pending = task.qaStatus === QA.awaiting;
  if (!statusChanged && (pending || !evidenceChanged)) return [];
  const link = changes.evidenceLink ?? task.evidenceLink;
  const description = changes.evidenceSummary ?? task.evidenceSummary;
  if (qa.evidence === 'link' ? !link : !(link || description))
    return [say(qa.evidence === 'link' ? 'update.needsLink' : 'update.needsEvidence')];
  changes.qaStatus = QA.awaiting;
  summary.push(say('update.did.submitted'));
  return [];
}
