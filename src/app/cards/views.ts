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

/** Rows rendered first when a list is long; about what fits in Teams' card size limit. */
const FIRST_SLICE = 40;

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
      more: shown.length < view.tasks.length ? `…and ${view.tasks.length - shown.length} more — type \`my tasks\` to see them, most urgent first.` : '',
    });
  // Render a first slice, not hundreds of rows: expanding a template costs time per row, and Teams' card limit
  // holds a few dozen. Then fit: shrink from the average row size, or grow once if there is room.
  let shown = Math.min(view.tasks.length, FIRST_SLICE);
  let card = render(view.tasks.slice(0, shown));
  if (shown < view.tasks.length && cardBytes(card) < CARD_BYTE_BUDGET) {
    const fits = Math.min(view.tasks.length, Math.floor(CARD_BYTE_BUDGET / (cardBytes(card) / shown)) - 1);
    // A second render only when it shows noticeably more: the person sees "…and N more" either way.
    if (fits > shown * 1.25) card = render(view.tasks.slice(0, (shown = fits)));
  }
  while (cardBytes(card) > CARD_BYTE_BUDGET && shown > 1) {
    // Estimate from the average row size, then step down one at a time near the limit.
    const perTask = cardBytes(card) / shown;
    shown = Math.max(1, Math.min(shown - 1, Math.floor(CARD_BYTE_BUDGET / perTask) - 1));
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

