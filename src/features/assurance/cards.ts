import { formatDate } from '../../domain/dates.js';
import { dateIn, t, type Lang } from '../../app/i18n.js';
import type { Task } from '../../domain/task.js';
import { CARD_BYTE_BUDGET, cardBytes, expandTemplate, type AdaptiveCard } from '../../app/cards/templates.js';
import { evidenceText, inert, notesText, type NoticeStyle } from '../../app/cards/views.js';

export interface DecisionCardView {
  task: Task;
  ownerName: string;
  /** Show the comment box and decision buttons. */
  decidable: boolean;
  notice?: { text: string; style: NoticeStyle };
  comment?: string;
  lang?: Lang;
}

/** What a QA reviewer decides on: the task, its evidence and notes, and Approve / Return. */
export function qaReviewCard(view: DecisionCardView): AdaptiveCard {
  const { task } = view;
  return expandTemplate('qa-review', {
    ref: task.ref, title: inert(task.title), plan: task.plan, area: inert(task.area?.slice(0, 400) ?? '—'), owner: view.ownerName,
    due: task.dueDate ? dateIn(view.lang ?? 'en', task.dueDate) : t(view.lang ?? 'en', 'tasks.noDue'), qaStatus: task.qaStatus || t(view.lang ?? 'en', 'qa.notSubmitted'),
    evidenceSummary: evidenceText(task), evidenceLink: task.evidenceLink ?? '', latestNotes: notesText(task, 1200),
    decidable: view.decidable, comment: view.comment ?? '', notice: inert(view.notice?.text ?? ''), noticeStyle: view.notice?.style ?? 'emphasis',
    listKey: task.listKey, itemId: task.itemId, eTag: task.eTag,
  }, view.lang);
}

/** What second-line assurance confirms or challenges. */
export function sampleReviewCard(view: DecisionCardView): AdaptiveCard {
  const { task } = view;
  return expandTemplate('sample-review', {
    ref: task.ref, title: inert(task.title), plan: task.plan, owner: view.ownerName,
    qa: task.qaReviewer ? `${task.qaStatus} by ${task.qaReviewer}${task.qaDate ? ` on ${formatDate(task.qaDate)}` : ''}${task.qaComment ? `: ${inert(task.qaComment.slice(0, 300))}` : ''}` : task.qaStatus || 'Not submitted',
    evidenceSummary: evidenceText(task), evidenceLink: task.evidenceLink ?? '', sampleStatus: task.sampleStatus || 'Not sampled',
    decidable: view.decidable, comment: view.comment ?? '', notice: inert(view.notice?.text ?? ''), noticeStyle: view.notice?.style ?? 'emphasis',
    listKey: task.listKey, itemId: task.itemId, eTag: task.eTag,
  }, view.lang);
}

export interface QueueRow {
  task: Task;
  details: string;
}

/** A list of tasks each with one button that opens its decision card (QA nudges, sample selections). */
export function taskQueueCard(heading: string, summary: string, rows: QueueRow[], button: { title: string; verb: 'qaOpen' | 'sampleOpen' }, lang: Lang = 'en'): AdaptiveCard {
  const render = (shown: QueueRow[]) =>
    expandTemplate('qa-queue', {
      heading, summary,
      tasks: shown.map((r) => ({ ref: r.task.ref, title: inert(r.task.title), details: r.details, listKey: r.task.listKey, itemId: r.task.itemId, verb: button.verb, buttonTitle: `${button.title} ${r.task.ref}` })),
      more: shown.length < rows.length ? t(lang, 'digest.more', { n: rows.length - shown.length }) : '',
    }, lang);
  let shown = rows.length;
  let card = render(rows);
  while (cardBytes(card) > CARD_BYTE_BUDGET && shown > 1) {
    shown = Math.max(1, Math.floor(shown * 0.8));
    card = render(rows.slice(0, shown));
  }
  return card;
}
