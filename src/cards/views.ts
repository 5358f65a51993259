import { formatDate, type IsoDate } from '../domain/dates.js';
import type { FlaggedTask } from '../domain/reminders.js';
import { describeFlag } from '../domain/rules.js';
import type { StatusVocabulary, Task } from '../domain/task.js';
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
  vocabulary: StatusVocabulary;
  ownerName: string;
  values?: Partial<Record<'status' | 'note' | 'evidenceLink' | 'evidenceSummary' | 'revisedDate' | 'revisedReason', string>>;
  errors?: string[];
  notice?: string;
}

export function updateFormCard(view: UpdateFormView): AdaptiveCard {
  const { task } = view;
  const statuses = [...new Set([...Object.values(view.vocabulary).flat(), ...(task.status ? [task.status] : [])])];
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
    latestNotes: task.progressNotes?.slice(0, 1500) || 'No notes yet.',
    listKey: task.listKey,
    itemId: task.itemId,
    eTag: task.eTag,
  });
}

export function messageCard(heading: string, text: string, style: NoticeStyle = 'emphasis', backToTasks = false): AdaptiveCard {
  return expandTemplate('message', { heading, text, style, backToTasks });
}
