import { expandTemplate, type AdaptiveCard } from '../../app/cards/templates.js';
import { inert } from '../../app/cards/views.js';
import { dateIn, t, type Lang } from '../../app/i18n.js';
import type { Actor, AppDeps } from '../../app/context.js';
import { myTasksCard } from '../../app/my-tasks.js';
import type { CommandReply } from '../../app/outcomes.js';
import { readChatUpdate, nearestStatus, normaliseRef, type ChatIntent } from '../../domain/chat-update.js';
import { localDateOf } from '../../domain/dates.js';
import { distance } from '../../domain/similar.js';
import { statusFor } from '../../domain/status-words.js';
import type { Task } from '../../domain/task.js';


const key = (ref: string) => normaliseRef(ref).replace(/[^A-Z0-9.]/g, '');

/** The task a typed reference means among `tasks`: exactly, or — one letter or two out — the one it nearly names. */
export function resolveRef(ref: string, tasks: Task[]): { task: Task; typed?: string } | { near: Task[] } {
  const exact = tasks.filter((t) => key(t.ref) === key(ref));
  if (exact.length === 1) return { task: exact[0]! };
  const near = tasks.map((t) => ({ t, d: distance(key(t.ref), key(ref)) })).filter((x) => x.d <= 2).sort((a, b) => a.d - b.d);
  // One clearly nearest (closer than any other) is offered as "did you mean"; a tie is asked about.
  if (exact.length === 0 && near.length && (near.length === 1 || near[0]!.d < near[1]!.d)) return { task: near[0]!.t, typed: ref };
  return { near: exact.length ? exact : near.map((x) => x.t) };
}

const show = (v: string | undefined, lang: Lang = 'en') => (v ? inert(v.length > 120 ? `${v.slice(0, 119)}…` : v) : t(lang, 'chat.none'));

type Change = { field: string; from?: string; to: string };

function confirmCard(heading: string, task: Task, changes: Change[], confirm: { verb: string; data: Record<string, unknown> }, notice: string, editable: boolean, lang?: Lang): AdaptiveCard {
  return expandTemplate('confirm-update', {
    heading, title: `${task.ref} · ${inert(task.title)}`, notice,
    changes: changes.map((c) => ({ field: c.field, change: c.from === undefined ? show(c.to, lang) : `${show(c.from, lang)} → ${show(c.to, lang)}` })),
    confirmVerb: confirm.verb, confirmData: confirm.data,
    editListKey: editable ? task.listKey : '', editItemId: editable ? task.itemId : '',
  }, lang);
}

/**
 * A plain-words update typed in the personal chat, answered with a card showing exactly what would change. Confirm
 * sends the same card action as the update form or the QA card (`saveUpdate`, `qaApprove`, `qaReturn`), so it goes
 * through the same validation, ownership and segregation-of-duties checks, eTag write and audit — one code path.
 * Text that is not an update phrase is not answered here (undefined: the chat's help answers it).
 */
export async function answerChatUpdate(deps: AppDeps, actor: Actor, text: string): Promise<CommandReply | undefined> {
  const today = localDateOf(deps.clock.now(), deps.timeZone);
  const reading = readChatUpdate(text, today);
  if (!reading) return undefined;
  const lang = actor.lang ?? 'en';
  const listing = async (why: string): Promise<CommandReply> => ({ card: await myTasksCard(deps, actor, { text: why, style: 'warning' }) });
  if (reading.kind === 'unreadable') return listing(t(lang, reading.why.key, reading.why.values));

  const deciding = reading.kind === 'approve' || reading.kind === 'return';
  const candidates = deciding ? await deps.tasks.findByRef(reading.ref) : await deps.tasks.tasksOwnedBy(actor.aadObjectId, await deps.roles.load());
  const found = resolveRef(reading.ref, deciding && candidates.length === 0 ? [] : candidates);
  if (!('task' in found)) {
    const why = found.near.length > 1
      ? t(lang, 'chat.couldMean', { typed: reading.ref, refs: found.near.slice(0, 5).map((near) => near.ref).join(', ') })
      : t(lang, deciding ? 'chat.notFound' : 'chat.notYours', { ref: reading.ref });
    return listing(why);
  }
  const { task, typed } = found;
  const notices: string[] = [];
  if (typed) notices.push(t(lang, 'chat.didYouMeanTask', { typed, ref: task.ref }));
  return { card: cardFor(deps, reading, task, notices, actor.lang) };
}

function cardFor(deps: AppDeps, intent: ChatIntent, task: Task, notices: string[], lang: Lang = 'en'): AdaptiveCard {
  const base = { listKey: task.listKey, itemId: task.itemId, eTag: task.eTag };
  const vocabulary = deps.tasks.policy(task.listKey)?.vocabulary;
  const complete = vocabulary?.complete[0] ?? 'Complete';
  switch (intent.kind) {
    case 'done': {
      const changes: Change[] = [{ field: t(lang, 'chat.field.status'), from: task.status, to: complete }];
      if (intent.evidenceLink) changes.push({ field: t(lang, 'chat.field.link'), from: task.evidenceLink ?? '', to: intent.evidenceLink });
      if (intent.note) changes.push({ field: t(lang, 'chat.field.note'), to: intent.note });
      return confirmCard(t(lang, 'chat.heading.done', { ref: task.ref }), task, changes, { verb: 'saveUpdate', data: { ...base, status: complete, ...(intent.evidenceLink && { evidenceLink: intent.evidenceLink }), ...(intent.note && { note: intent.note }) } }, notices.join('\n\n'), true, lang);
    }
    case 'status': {
      const word = nearestStatus(intent.status)!;
      const status = (vocabulary && statusFor(word, vocabulary)) ?? word;
      if (word !== intent.status.toLowerCase()) notices.push(t(lang, 'chat.didYouMeanStatus', { typed: intent.status, status }));
      const changes: Change[] = [{ field: t(lang, 'chat.field.status'), from: task.status, to: status }];
      if (intent.note) changes.push({ field: t(lang, 'chat.field.note'), to: intent.note });
      return confirmCard(t(lang, 'chat.heading.status', { ref: task.ref }), task, changes, { verb: 'saveUpdate', data: { ...base, status, ...(intent.note && { note: intent.note }) } }, notices.join('\n\n'), true, lang);
    }
    case 'move':
      return confirmCard(
        t(lang, 'chat.heading.move', { ref: task.ref }), task,
        [{ field: t(lang, 'chat.field.due'), from: task.dueDate ? dateIn(lang, task.dueDate) : (task.dueDateText ?? ''), to: dateIn(lang, intent.date) }, { field: t(lang, 'chat.field.reason'), to: intent.reason ?? '' }],
        { verb: 'saveUpdate', data: { ...base, revisedDate: intent.date, revisedReason: intent.reason } }, notices.join('\n\n'), true, lang,
      );
    case 'note':
      return confirmCard(t(lang, 'chat.heading.note', { ref: task.ref }), task, [{ field: t(lang, 'chat.field.note'), to: intent.note }], { verb: 'saveUpdate', data: { ...base, note: intent.note } }, notices.join('\n\n'), true, lang);
    case 'approve':
    case 'return':
      return confirmCard(
        t(lang, `chat.heading.${intent.kind}`, { ref: task.ref }), task,
        [{ field: t(lang, 'chat.field.qa'), from: task.qaStatus ?? '', to: t(lang, intent.kind === 'approve' ? 'chat.approved' : 'chat.returned') }, ...(intent.comment ? [{ field: t(lang, 'chat.field.comment'), to: intent.comment }] : [])],
        { verb: intent.kind === 'approve' ? 'qaApprove' : 'qaReturn', data: { ...base, ...(intent.comment && { comment: intent.comment }) } }, notices.join('\n\n'), false, lang,
      );
  }
}
