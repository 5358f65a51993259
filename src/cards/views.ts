import { formatDate, type IsoDate } from '../domain/dates.js';
import type { FlaggedTask } from '../domain/reminders.js';
import { describeFlag } from '../domain/rules.js';
import type { ListPolicy } from '../domain/policy.js';
import type { Task } from '../domain/task.js';
import { CARD_BYTE_BUDGET, cardBytes, expandTemplate, type AdaptiveCard } from './templates.js';

export type NoticeStyle = 'good' | 'warning' | 'attention' | 'accent' | 'emphasis';

export interface TaskListView {
  heading: string;
  tasks: FlaggedTask[];
  today: IsoDate;
  notice?: { text: string; style: NoticeStyle };
}

function countOf(tasks: FlaggedTask[], kind: string): number {
  return tasks.filter((t) => t.flags.some((f) => f.kind === kind)).length;
}

function summaryOf(tasks: FlaggedTask[]): string {
  if (tasks.length === 0) return 'Nothing needs your attention. Well done.';
  const parts = [
    [countOf(tasks, 'overdue'), 'overdue'],
    [countOf(tasks, 'dueSoon'), 'due soon'],
    [countOf(tasks, 'noEvidence'), 'complete but missing an evidence link'],
    [countOf(tasks, 'stale'), 'with no update for a while'],
  ]
    .filter(([n]) => Number(n) > 0)
    .map(([n, label]) => `${n} ${label}`);
  return `${tasks.length} task${tasks.length === 1 ? '' : 's'} need${tasks.length === 1 ? 's' : ''} you: ${parts.join(', ')}.`;
}

function taskRow(t: FlaggedTask) {
  const due = t.task.dueDate ? `Due ${formatDate(t.task.dueDate)}` : 'No due date';
  const kinds = t.flags.map((f) => f.kind);
  return {
    ref: t.task.ref,
    title: t.task.title,
    badges: t.flags.length ? t.flags.map(describeFlag).join(' · ') : 'ON TRACK',
    badgeColor: kinds.includes('overdue') ? 'Attention' : kinds.includes('noEvidence') || kinds.includes('dueSoon') ? 'Warning' : kinds.includes('stale') ? 'Accent' : 'Good',
    details: `${due} · ${t.task.status || 'No status'} · ${t.task.plan}`,
    listKey: t.task.listKey,
    itemId: t.task.itemId,
  };
}

/**
 * One card listing a person's tasks, most urgent first. When the list would pass Teams' card size limit the tail is
 * cut and the card says how many more there are.
 */
export function taskListCard(view: TaskListView): AdaptiveCard {
  const render = (shown: FlaggedTask[]) =>
    expandTemplate('reminder', {
      heading: view.heading,
      summary: summaryOf(view.tasks),
      notice: view.notice?.text ?? '',
      noticeStyle: view.notice?.style ?? 'emphasis',
      tasks: shown.map(taskRow),
      more: shown.length < view.tasks.length ? `…and ${view.tasks.length - shown.length} more — type \`my tasks\` to see them, most urgent first.` : '',
    });
  let shown = view.tasks.length;
  let card = render(view.tasks);
  while (cardBytes(card) > CARD_BYTE_BUDGET && shown > 1) {
    // Estimate from the average row size, then step down one at a time near the limit.
    const perTask = cardBytes(card) / shown;
    shown = Math.max(1, Math.min(shown - 1, Math.floor(CARD_BYTE_BUDGET / perTask) - 1));
    card = render(view.tasks.slice(0, shown));
  }
  return card;
}

export interface UpdateFormView {
  task: Task;
  policy: ListPolicy;
  ownerName: string;
  values?: Partial<Record<'status' | 'note' | 'evidenceLink' | 'evidenceSummary' | 'revisedDate' | 'revisedReason', string>>;
  errors?: string[];
  notice?: string;
}

export function updateFormCard(view: UpdateFormView): AdaptiveCard {
  const { task } = view;
  const statuses = [...new Set([...Object.values(view.policy.vocabulary).flat(), ...(task.status ? [task.status] : [])])];
  const revised = task.originalDueDate && task.dueDate && task.originalDueDate !== task.dueDate ? ` (originally ${formatDate(task.originalDueDate)})` : '';
  return expandTemplate('update-form', {
    ref: task.ref,
    title: task.title,
    plan: task.plan,
    due: task.dueDate ? `${formatDate(task.dueDate)}${revised}` : 'No due date',
    status: task.status || 'No status',
    owner: view.ownerName,
    evidence: task.evidenceLink ?? (task.evidenceSummary ? 'Description only, no link' : 'None yet'),
    errors: view.errors?.length ? view.errors.map((e) => `• ${e}`).join('\n\n') : '',
    notice: view.notice ?? '',
    statuses: statuses.map((s) => ({ title: s, value: s })),
    values: {
      status: view.values?.status ?? task.status,
      note: view.values?.note ?? '',
      evidenceLink: view.values?.evidenceLink ?? task.evidenceLink ?? '',
      evidenceSummary: view.values?.evidenceSummary ?? task.evidenceSummary ?? '',
      revisedDate: view.values?.revisedDate ?? '',
      revisedReason: view.values?.revisedReason ?? '',
    },
    latestNotes: notesText(task, 1500),
    listKey: task.listKey,
    itemId: task.itemId,
    eTag: task.eTag,
  });
}

export function messageCard(heading: string, text: string, style: NoticeStyle = 'emphasis', options: { backToTasks?: boolean; update?: Task } = {}): AdaptiveCard {
  return expandTemplate('message', {
    heading, text, style, backToTasks: options.backToTasks ?? false,
    updateRef: options.update?.ref ?? '', updateListKey: options.update?.listKey ?? '', updateItemId: options.update?.itemId ?? '',
  });
}

/** TextBlock markdown needs a blank line for a line break; each note entry starts on its own line. */
function notesText(task: Task, limit: number): string {
  return task.progressNotes?.slice(0, limit).replace(/\n+/g, '\n\n') || 'No notes yet.';
}

function evidenceText(task: Task): string {
  return task.evidenceSummary?.slice(0, 600) || (task.evidenceLink ? 'Link only, no description' : 'None');
}

export interface DecisionCardView {
  task: Task;
  ownerName: string;
  /** Show the comment box and decision buttons. */
  decidable: boolean;
  notice?: { text: string; style: NoticeStyle };
  comment?: string;
}

/** What a QA reviewer decides on: the task, its evidence and notes, and Approve / Return. */
export function qaReviewCard(view: DecisionCardView): AdaptiveCard {
  const { task } = view;
  return expandTemplate('qa-review', {
    ref: task.ref, title: task.title, plan: task.plan, area: task.area?.slice(0, 400) ?? '—', owner: view.ownerName,
    due: task.dueDate ? formatDate(task.dueDate) : 'No due date', qaStatus: task.qaStatus || 'Not submitted',
    evidenceSummary: evidenceText(task), evidenceLink: task.evidenceLink ?? '', latestNotes: notesText(task, 1200),
    decidable: view.decidable, comment: view.comment ?? '', notice: view.notice?.text ?? '', noticeStyle: view.notice?.style ?? 'emphasis',
    listKey: task.listKey, itemId: task.itemId, eTag: task.eTag,
  });
}

/** What second-line assurance confirms or challenges. */
export function sampleReviewCard(view: DecisionCardView): AdaptiveCard {
  const { task } = view;
  return expandTemplate('sample-review', {
    ref: task.ref, title: task.title, plan: task.plan, owner: view.ownerName,
    qa: task.qaReviewer ? `${task.qaStatus} by ${task.qaReviewer}${task.qaDate ? ` on ${formatDate(task.qaDate)}` : ''}${task.qaComment ? `: ${task.qaComment.slice(0, 300)}` : ''}` : task.qaStatus || 'Not submitted',
    evidenceSummary: evidenceText(task), evidenceLink: task.evidenceLink ?? '', sampleStatus: task.sampleStatus || 'Not sampled',
    decidable: view.decidable, comment: view.comment ?? '', notice: view.notice?.text ?? '', noticeStyle: view.notice?.style ?? 'emphasis',
    listKey: task.listKey, itemId: task.itemId, eTag: task.eTag,
  });
}

export interface QueueRow {
  task: Task;
  details: string;
}

/** A list of tasks each with one button that opens its decision card (QA nudges, sample selections). */
export function taskQueueCard(heading: string, summary: string, rows: QueueRow[], button: { title: string; verb: 'qaOpen' | 'sampleOpen' }): AdaptiveCard {
  const render = (shown: QueueRow[]) =>
    expandTemplate('qa-queue', {
      heading, summary,
      tasks: shown.map((r) => ({ ref: r.task.ref, title: r.task.title, details: r.details, listKey: r.task.listKey, itemId: r.task.itemId, verb: button.verb, buttonTitle: `${button.title} ${r.task.ref}` })),
      more: shown.length < rows.length ? `…and ${rows.length - shown.length} more.` : '',
    });
  let shown = rows.length;
  let card = render(rows);
  while (cardBytes(card) > CARD_BYTE_BUDGET && shown > 1) {
    shown = Math.max(1, Math.floor(shown * 0.8));
    card = render(rows.slice(0, shown));
  }
  return card;
}

export interface HistoryRow {
  field: string;
  change: string;
  who: string;
  when: string;
  channel: string;
}

export function historyCard(heading: string, rows: HistoryRow[]): AdaptiveCard {
  return expandTemplate('history', { heading, rows });
}
