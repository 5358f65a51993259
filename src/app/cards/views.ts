import type { IsoDate } from '../../domain/dates.js';
import type { FlaggedTask } from '../../domain/reminders.js';
import type { Flag } from '../../domain/rules.js';
import type { Task } from '../../domain/task.js';
import { dateIn, t, type Lang } from '../i18n.js';
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
  lang?: Lang;
  tasks: FlaggedTask[];
  today: IsoDate;
  notice?: { text: string; style: NoticeStyle };
}

function countOf(tasks: FlaggedTask[], kind: string): number {
  return tasks.filter((t) => t.flags.some((f) => f.kind === kind)).length;
}

function summaryOf(tasks: FlaggedTask[], lang: Lang): string {
  if (tasks.length === 0) return t(lang, 'tasks.nothing');
  const parts = (['overdue', 'dueSoon', 'noEvidence', 'stale'] as const)
    .map((kind) => [kind, countOf(tasks, kind)] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => t(lang, `tasks.part.${kind}`, { n }));
  return t(lang, 'tasks.summary', { count: tasks.length, parts: parts.join(', ') });
}

/** A reminder flag in the person's language, in capitals as a label, the words carrying what the colour shows. */
export function flagText(flag: Flag, lang: Lang): string {
  if (flag.kind === 'dueSoon' && flag.days === 0) return t(lang, 'flag.dueToday');
  return t(lang, `flag.${flag.kind}`, 'days' in flag ? { days: flag.days } : {});
}

function taskRow(task: FlaggedTask, lang: Lang) {
  const due = task.task.dueDate ? t(lang, 'tasks.due', { date: dateIn(lang, task.task.dueDate) }) : t(lang, 'tasks.noDue');
  const kinds = task.flags.map((f) => f.kind);
  return {
    ref: task.task.ref,
    title: inert(task.task.title),
    badges: task.flags.length ? task.flags.map((f) => flagText(f, lang)).join(' · ') : t(lang, 'flag.onTrack'),
    badgeColor: kinds.includes('overdue') ? 'Attention' : kinds.includes('noEvidence') || kinds.includes('dueSoon') ? 'Warning' : kinds.includes('stale') ? 'Accent' : 'Good',
    details: `${due} · ${task.task.status || t(lang, 'tasks.noStatus')} · ${task.task.plan}`,
    updateTitle: t(lang, 'tasks.update', { ref: task.task.ref }),
    listKey: task.task.listKey,
    itemId: task.task.itemId,
  };
}

/**
 * One card listing a person's tasks, most urgent first. When the list would pass Teams' card size limit the tail is
 * cut and the card says how many more there are.
 */
export function taskListCard(view: TaskListView): AdaptiveCard {
  const lang = view.lang ?? 'en';
  const render = (shown: FlaggedTask[]) =>
    expandTemplate(
      'reminder',
      {
        heading: view.heading,
        summary: summaryOf(view.tasks, lang),
        notice: view.notice?.text ?? '',
        noticeStyle: view.notice?.style ?? 'emphasis',
        tasks: shown.map((task) => taskRow(task, lang)),
        more: shown.length < view.tasks.length ? t(lang, 'tasks.more', { n: view.tasks.length - shown.length }) : '',
      },
      lang,
    );
  let shown = Math.min(view.tasks.length, MOST_ROWS);
  let card = render(view.tasks.slice(0, shown));
  // Long notes can still pass Teams' card limit: shrink from the average row size, then one at a time near it.
  for (let bytes = cardBytes(card); bytes > CARD_BYTE_BUDGET && shown > 1; bytes = cardBytes(card)) {
    shown = Math.max(1, Math.min(shown - 1, Math.floor(CARD_BYTE_BUDGET / (bytes / shown)) - 1));
    card = render(view.tasks.slice(0, shown));
  }
  return card;
}

export function messageCard(heading: string, text: string, style: NoticeStyle = 'emphasis', options: { backToTasks?: boolean; update?: Task; lang?: Lang } = {}): AdaptiveCard {
  return expandTemplate(
    'message',
    {
      heading, text, style, backToTasks: options.backToTasks ?? false,
      updateRef: options.update?.ref ?? '', updateListKey: options.update?.listKey ?? '', updateItemId: options.update?.itemId ?? '',
    },
    options.lang,
  );
}

/** TextBlock markdown needs a blank line for a line break; each note entry starts on its own line. */
export function notesText(task: Task, limit: number): string {
  return inert(task.progressNotes?.slice(0, limit) ?? '').replace(/\n+/g, '\n\n') || 'No notes yet.';
}

export function evidenceText(task: Task): string {
  return inert(task.evidenceSummary?.slice(0, 600) ?? '') || (task.evidenceLink ? 'Link only, no description' : 'None');
}

