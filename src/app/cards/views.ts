import { formatDate, type IsoDate } from '../../domain/dates.js';
import type { FlaggedTask } from '../../domain/reminders.js';
import { describeFlag } from '../../domain/rules.js';
import type { Task } from '../../domain/task.js';
import { CARD_BYTE_BUDGET, cardBytes, expandTemplate, type AdaptiveCard } from './templates.js';

/**
 * Text people typed (notes, comments, evidence descriptions, titles), made inert for a TextBlock: Teams renders
 * markdown there, so `[x](url)`, `[x][ref]`, `[ref]: url` and `<https://…>` would become live links. A zero-width
 * space after every `]` and `<` breaks the syntax and changes nothing a person reads.
 */
export function inert(text: string): string {
  return text.replace(/\]/g, ']\u200B').replace(/</g, '<\u200B');
}

export type NoticeStyle = 'good' | 'warning' | 'attention' | 'accent' | 'emphasis';

/**
 * The most rows a task list shows: a card longer than this is scrolled past, not read, and each row costs rendering
 * time on every click. The rest are counted ("…and N more"), most urgent first.
 */
const MOST_ROWS = 25;

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
    title: inert(t.task.title),
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
      more: shown.length < view.tasks.length ? `…and ${view.tasks.length - shown.length} more, less urgent: they move up here as the ones above are done.` : '',
    });
  let shown = Math.min(view.tasks.length, MOST_ROWS);
  let card = render(view.tasks.slice(0, shown));
  // Long notes can still pass Teams' card limit: shrink from the average row size, then one at a time near it.
  for (let bytes = cardBytes(card); bytes > CARD_BYTE_BUDGET && shown > 1; bytes = cardBytes(card)) {
    shown = Math.max(1, Math.min(shown - 1, Math.floor(CARD_BYTE_BUDGET / (bytes / shown)) - 1));
    card = render(view.tasks.slice(0, shown));
  }
  return card;
}

export function messageCard(heading: string, text: string, style: NoticeStyle = 'emphasis', options: { backToTasks?: boolean; update?: Task } = {}): AdaptiveCard {
  return expandTemplate('message', {
    heading, text, style, backToTasks: options.backToTasks ?? false,
    updateRef: options.update?.ref ?? '', updateListKey: options.update?.listKey ?? '', updateItemId: options.update?.itemId ?? '',
  });
}

/** TextBlock markdown needs a blank line for a line break; each note entry starts on its own line. */
export function notesText(task: Task, limit: number): string {
  return inert(task.progressNotes?.slice(0, limit) ?? '').replace(/\n+/g, '\n\n') || 'No notes yet.';
}

export function evidenceText(task: Task): string {
  return inert(task.evidenceSummary?.slice(0, 600) ?? '') || (task.evidenceLink ? 'Link only, no description' : 'None');
}

