import { expandTemplate, type AdaptiveCard } from '../../app/cards/templates.js';
import { inert } from '../../app/cards/views.js';
import type { Lang } from '../../app/i18n.js';
import type { Actor, AppDeps } from '../../app/context.js';
import { myTasksCard } from '../../app/my-tasks.js';
import type { CommandReply } from '../../app/outcomes.js';
import { readChatUpdate, nearestStatus, normaliseRef, type ChatIntent } from '../../domain/chat-update.js';
import { formatDate, localDateOf } from '../../domain/dates.js';
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

const show = (v: string | undefined) => (v ? inert(v.length > 120 ? `${v.slice(0, 119)}…` : v) : '(none)');

type Change = { field: string; from?: string; to: string };

function confirmCard(heading: string, task: Task, changes: Change[], confirm: { verb: string; data: Record<string, unknown> }, notice: string, editable: boolean, lang?: Lang): AdaptiveCard {
  return expandTemplate('confirm-update', {
    heading, title: `${task.ref} · ${inert(task.title)}`, notice,
    changes: changes.map((c) => ({ field: c.field, change: c.from === undefined ? show(c.to) : `${show(c.from)} → ${show(c.to)}` })),
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
  const listing = async (why: string): Promise<CommandReply> => ({ card: await myTasksCard(deps, actor, { text: why, style: 'warning' }) });
  if (reading.kind === 'unreadable') return listing(reading.why);

  const deciding = reading.kind === 'approve' || reading.kind === 'return';
  const candidates = deciding ? await deps.tasks.findByRef(reading.ref) : await deps.tasks.tasksOwnedBy(actor.aadObjectId, await deps.roles.load());
  const found = resolveRef(reading.ref, deciding && candidates.length === 0 ? [] : candidates);
  if (!('task' in found)) {
    const why = found.near.length > 1
      ? `"${reading.ref}" could mean ${found.near.slice(0, 5).map((t) => t.ref).join(', ')}: type the full reference.`
      : deciding ? `I could not find a task ${reading.ref}.` : `${reading.ref} is not one of your open tasks. Here they are: pick one, or type its reference as shown.`;
    return listing(why);
  }
  const { task, typed } = found;
  const notices: string[] = [];
  if (typed) notices.push(`You typed "${typed}": did you mean ${task.ref}? Confirm only if this is the task.`);
  return { card: cardFor(deps, reading, task, notices, actor.lang) };
}

function cardFor(deps: AppDeps, intent: ChatIntent, task: Task, notices: string[], lang?: Lang): AdaptiveCard {
  const base = { listKey: task.listKey, itemId: task.itemId, eTag: task.eTag };
  const vocabulary = deps.tasks.policy(task.listKey)?.vocabulary;
  const complete = vocabulary?.complete[0] ?? 'Complete';
  switch (intent.kind) {
    case 'done': {
      const changes: Change[] = [{ field: 'Status', from: task.status, to: complete }];
      if (intent.evidenceLink) changes.push({ field: 'Evidence link', from: task.evidenceLink ?? '', to: intent.evidenceLink });
      if (intent.note) changes.push({ field: 'Note added', to: intent.note });
      return confirmCard(`Mark ${task.ref} complete?`, task, changes, { verb: 'saveUpdate', data: { ...base, status: complete, ...(intent.evidenceLink && { evidenceLink: intent.evidenceLink }), ...(intent.note && { note: intent.note }) } }, notices.join('\n\n'), true, lang);
    }
    case 'status': {
      const word = nearestStatus(intent.status)!;
      const status = (vocabulary && statusFor(word, vocabulary)) ?? word;
      if (word !== intent.status.toLowerCase()) notices.push(`You typed "${intent.status}": did you mean "${status}"?`);
      const changes: Change[] = [{ field: 'Status', from: task.status, to: status }];
      if (intent.note) changes.push({ field: 'Note added', to: intent.note });
      return confirmCard(`Update ${task.ref}?`, task, changes, { verb: 'saveUpdate', data: { ...base, status, ...(intent.note && { note: intent.note }) } }, notices.join('\n\n'), true, lang);
    }
    case 'move':
      return confirmCard(
        `Move ${task.ref}'s due date?`, task,
        [{ field: 'Due date', from: task.dueDate ? formatDate(task.dueDate) : (task.dueDateText ?? ''), to: formatDate(intent.date) }, { field: 'Reason', to: intent.reason ?? '' }],
        { verb: 'saveUpdate', data: { ...base, revisedDate: intent.date, revisedReason: intent.reason } }, notices.join('\n\n'), true, lang,
      );
    case 'note':
      return confirmCard(`Add a note to ${task.ref}?`, task, [{ field: 'Note added', to: intent.note }], { verb: 'saveUpdate', data: { ...base, note: intent.note } }, notices.join('\n\n'), true, lang);
    case 'approve':
    case 'return':
      return confirmCard(
        intent.kind === 'approve' ? `Approve ${task.ref} at QA?` : `Return ${task.ref} to its owner?`, task,
        [{ field: 'QA status', from: task.qaStatus ?? '', to: intent.kind === 'approve' ? 'Approved' : 'Returned' }, ...(intent.comment ? [{ field: 'Comment', to: intent.comment }] : [])],
        { verb: intent.kind === 'approve' ? 'qaApprove' : 'qaReturn', data: { ...base, ...(intent.comment && { comment: intent.comment }) } }, notices.join('\n\n'), false, lang,
      );
  }
}
