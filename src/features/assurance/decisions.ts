import { z } from 'zod';
import { eTag, input, itemId, listKey } from '../../app/card-data.js';
import type { AdaptiveCard } from '../../app/cards/templates.js';
import { inert, messageCard } from '../../app/cards/views.js';
import { recoverChanges, savedBefore, writeAudited } from '../../app/audited-change.js';
import type { Actor, AppDeps } from '../../app/context.js';
import type { ActionOutcome } from '../../app/outcomes.js';
import { sendCards, updateCards } from '../../app/send.js';
import { loadTask, ownerLabel, taskGone } from '../../app/task-access.js';
import { localDateOf } from '../../domain/dates.js';
import type { ListPolicy } from '../../domain/policy.js';
import { eligibleDeciders, planQaDecision, planSampleDecision, type Decision } from '../../domain/qa.js';
import { ownersOf } from '../../domain/reminders.js';
import type { RoleDirectory } from '../../domain/roles.js';
import { QA, SAMPLE, taskKeyString, type Task, type TaskKey } from '../../domain/task.js';
import { qaReviewCard, sampleReviewCard, type DecisionCardView } from './cards.js';
import { decisionCards, qaSubmissions } from './state.js';
import { sayIn, t } from '../../app/i18n.js';
import { languageFor } from '../../app/language.js';

export const decisionSchema = z.object({ listKey, itemId, eTag, comment: input });

/** The two sign-off stages share one shape: who decides, which card they see, how a decision is planned. */
interface Stage {
  name: 'qa' | 'sample';
  deciders(task: Task, policy: ListPolicy, roles: RoleDirectory): string[];
  isOpen(task: Task): boolean;
  card(view: DecisionCardView): AdaptiveCard;
  plan: typeof planQaDecision;
  channel: string;
}

export const QA_STAGE: Stage = {
  name: 'qa',
  deciders: (task, policy, roles) => (policy.qa ? eligibleDeciders(task, policy.qa.reviewers, roles) : []),
  isOpen: (task) => task.qaStatus === QA.awaiting,
  card: qaReviewCard,
  plan: planQaDecision,
  channel: 'Teams card (QA)',
};

export const SAMPLE_STAGE: Stage = {
  name: 'sample',
  // Not the task's owners, nor the reviewer who approved it at QA.
  deciders: (task, policy, roles) => (policy.sampling ? eligibleDeciders(task, policy.sampling.assurers, roles).filter((id) => id !== task.qaReviewerId) : []),
  isOpen: (task) => task.sampleStatus === SAMPLE.selected,
  card: sampleReviewCard,
  plan: planSampleDecision,
  channel: 'Teams card (sampling)',
};

const cardsId = (stage: Stage, key: TaskKey) => `${stage.name}/${taskKeyString(key)}`;

/** Sends the decision card to everyone who may decide, remembering the messages so all copies can be updated. */
export async function requestDecision(deps: AppDeps, stage: Stage, task: Task, policy: ListPolicy, roles: RoleDirectory, once?: string): Promise<string[]> {
  if (stage.name === 'qa') await qaSubmissions.put(deps.store, taskKeyString(task), { at: deps.clock.now().toISOString() });
  const deciders = stage.deciders(task, policy, roles);
  const card = stage.card({ task, ownerName: ownerLabel(task, roles), decidable: true });
  const { sent } = await sendCards(deps, deciders, card, `${task.ref} is waiting for ${stage.name === 'qa' ? 'QA sign-off' : 'a sample check'}`, { once });
  const earlier = (await decisionCards.get(deps.store, cardsId(stage, task))) ?? [];
  await decisionCards.put(deps.store, cardsId(stage, task), [...earlier, ...sent]);
  return sent.map((s) => roles.nameOf(s.aadObjectId));
}

/** Opens the decision card on demand (from a QA or sample queue card). */
export async function openDecision(deps: AppDeps, stage: Stage, key: TaskKey, actor: Actor): Promise<ActionOutcome> {
  const loaded = await loadTask(deps, key);
  if (!loaded) return { kind: 'error', status: 404, message: taskGone(actor.lang) };
  const { task, policy, roles } = loaded;
  if (!stage.deciders(task, policy, roles).includes(actor.aadObjectId)) {
    const refusal = stage.plan(task, { kind: 'approve' }, { aadObjectId: actor.aadObjectId, displayName: actor.name }, policy, roles, localDateOf(deps.clock.now(), deps.timeZone), sayIn(actor.lang ?? 'en'));
    return { kind: 'error', status: 403, message: refusal.ok ? t(actor.lang ?? 'en', 'decision.cannot', { ref: task.ref }) : refusal.message };
  }
  return { kind: 'card', card: stage.card({ lang: actor.lang, task, ownerName: ownerLabel(task, roles), decidable: stage.isOpen(task) }) };
}

export type DecisionData = z.infer<typeof decisionSchema>;

/**
 * Records a decision: re-read, check who decides and that the task is still as the card showed it (same eTag), then
 * write with If-Match so that of two people clicking at once exactly one decision lands. Everyone's copy of the
 * card is updated and the owner is told.
 */
export async function decide(deps: AppDeps, stage: Stage, kind: Decision['kind'], data: DecisionData, actor: Actor, context: { actionId: string }): Promise<ActionOutcome> {
  // Teams retrying a click whose decision was saved (perhaps in a process that then died): finish what followed it.
  const earlier = await savedBefore(deps, context.actionId);
  if (earlier) {
    const loaded = await loadTask(deps, data);
    if (!loaded) return { kind: 'error', status: 404, message: taskGone(actor.lang) };
    return afterDecision(deps, stage, kind, data, actor, loaded, earlier.replace(/^\S+ /, ''), true, context.actionId);
  }
  await recoverChanges(deps);
  const loaded = await loadTask(deps, data);
  if (!loaded) return { kind: 'error', status: 404, message: taskGone(actor.lang) };
  const { task, policy, roles } = loaded;
  const ownerName = ownerLabel(task, roles);
  const now = deps.clock.now();
  const decider = { aadObjectId: actor.aadObjectId, displayName: actor.name };
  const plan = stage.plan(task, { kind, comment: data.comment }, decider, policy, roles, localDateOf(now, deps.timeZone), sayIn(actor.lang ?? 'en'));
  const current = (notice: string, style: 'warning' | 'attention' = 'warning') =>
    ({ kind: 'card', card: stage.card({ lang: actor.lang, task, ownerName, decidable: stage.isOpen(task), notice: { text: notice, style }, comment: data.comment }) }) as const;
  if (!plan.ok) {
    if (plan.reason === 'self' || plan.reason === 'notAllowed') return { kind: 'error', status: 403, message: plan.message };
    return current(plan.message, plan.reason === 'invalid' ? 'attention' : 'warning');
  }
  const changed = t(actor.lang ?? 'en', 'decision.changed', { ref: task.ref });
  if (task.eTag !== data.eTag) return current(changed);
  const written = await writeAudited(deps, context.actionId, task, data.eTag, plan.changes, decider, stage.channel, `${task.ref} ${plan.summary}`);
  if (written.kind === 'conflict') return { kind: 'card', card: stage.card({ lang: actor.lang, task: written.latest, ownerName, decidable: stage.isOpen(written.latest), notice: { text: changed, style: 'warning' } }) };
  deps.log.info({ ref: task.ref, decision: kind, by: actor.aadObjectId }, 'decision recorded');
  return afterDecision(deps, stage, kind, data, actor, { ...loaded, task: written.task }, plan.summary, written.audited, context.actionId);
}

/**
 * What follows a decision: everyone's copy of the card shows it, and the owner is told (once, keyed by the click,
 * so a retried click after a crash tells them if the first attempt had not yet).
 */
async function afterDecision(
  deps: AppDeps,
  stage: Stage,
  kind: Decision['kind'],
  data: DecisionData,
  actor: Actor,
  { task: decided, policy, roles }: NonNullable<Awaited<ReturnType<typeof loadTask>>>,
  summary: string,
  audited: boolean,
  actionId: string,
): Promise<ActionOutcome> {
  const notice = `${decided.ref} ${summary}${data.comment?.trim() ? `: "${data.comment.trim()}"` : ''}.${audited ? '' : ` ${t(actor.lang ?? 'en', 'decision.auditLater')}`}`;
  const card = stage.card({ lang: actor.lang, task: decided, ownerName: ownerLabel(decided, roles), decidable: false, notice: { text: notice, style: kind === 'approve' || kind === 'confirm' ? 'good' : 'warning' } });
  await updateCards(deps, (await decisionCards.get(deps.store, cardsId(stage, data))) ?? [], card);
  await decisionCards.delete(deps.store, cardsId(stage, data));
  await tellOwner(deps, kind, decided, actor, data.comment?.trim(), policy, roles, `decision/${actionId}`);
  return { kind: 'card', card, updateMessage: true };
}

async function tellOwner(deps: AppDeps, kind: Decision['kind'], task: Task, actor: Actor, comment: string | undefined, policy: ListPolicy, roles: RoleDirectory, once: string): Promise<void> {
  const quoted = comment ? `\n\n"${inert(comment)}"` : '';
  // Each owner is told in their own language.
  for (const owner of ownersOf(task, roles).people.map((p) => p.aadObjectId)) {
    const lang = await languageFor(deps, owner);
    const values = { ref: task.ref, name: actor.name, title: inert(task.title), status: task.status };
    if (kind === 'approve') await sendCards(deps, [owner], messageCard(t(lang, 'owner.passed', values), `${t(lang, 'owner.passedText', values)}${quoted}`, 'good', { lang }), t(lang, 'owner.passed', values), { once });
    if (kind === 'return')
      await sendCards(deps, [owner], messageCard(t(lang, 'owner.returned', values), `${t(lang, 'owner.returnedText', values)}${quoted}\n\n${t(lang, 'owner.returnedFix')}`, 'warning', { update: task, lang }), t(lang, 'owner.returned', values), { once });
  }
  if (kind === 'challenge') await requestDecision(deps, QA_STAGE, task, policy, roles, once);
}
