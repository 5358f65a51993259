import { dateIn, t, type Lang } from '../../app/i18n.js';
import type { ListPolicy } from '../../domain/policy.js';
import type { Task } from '../../domain/task.js';
import { expandTemplate, type AdaptiveCard } from '../../app/cards/templates.js';
import { inert, notesText } from '../../app/cards/views.js';

export interface UpdateFormView {
  task: Task;
  policy: ListPolicy;
  ownerName: string;
  values?: Partial<Record<'status' | 'note' | 'evidenceLink' | 'evidenceSummary' | 'revisedDate' | 'revisedReason', string>>;
  errors?: string[];
  notice?: string;
  lang?: Lang;
}

export function updateFormCard(view: UpdateFormView): AdaptiveCard {
  const { task } = view;
  const statuses = [...new Set([...Object.values(view.policy.vocabulary).flat(), ...(task.status ? [task.status] : [])])];
  const lang = view.lang ?? 'en';
  const revised = task.originalDueDate && task.dueDate && task.originalDueDate !== task.dueDate ? t(lang, 'form.originally', { date: dateIn(lang, task.originalDueDate) }) : '';
  return expandTemplate('update-form', {
    ref: task.ref,
    title: inert(task.title),
    plan: task.plan,
    due: task.dueDate ? `${dateIn(lang, task.dueDate)}${revised}` : t(lang, 'tasks.noDue'),
    status: task.status || t(lang, 'tasks.noStatus'),
    owner: view.ownerName,
    evidence: task.evidenceLink ?? t(lang, task.evidenceSummary ? 'form.evidenceDescriptionOnly' : 'form.evidenceNone'),
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
  }, lang);
}
