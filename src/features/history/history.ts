import type { AdaptiveCard } from '../../app/cards/templates.js';
import { inert } from '../../app/cards/views.js';
import type { Actor, AppDeps } from '../../app/context.js';
import type { AuditEntry } from '../../domain/audit.js';
import { localDateOf } from '../../domain/dates.js';
import { selectedIds } from '../../domain/qa.js';
import { mayUpdate } from '../../domain/reminders.js';
import { historyCard, type HistoryRow } from './history-card.js';
import { dateIn, t, type Lang } from '../../app/i18n.js';

const clip = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

export function historyRows(entries: AuditEntry[], timeZone: string, lang: Lang = 'en'): HistoryRow[] {
  return entries.map((e) => ({
    field: e.field,
    change: inert(e.oldValue ? `${clip(e.oldValue, 80)} → ${clip(e.newValue, 160)}` : clip(e.newValue, 200) || t(lang, 'history.cleared')),
    who: e.actor,
    when: e.at ? `${dateIn(lang, localDateOf(e.at, timeZone))} ${new Date(e.at).toLocaleTimeString(lang === 'cy' ? 'cy-GB' : 'en-GB', { timeZone, hour: '2-digit', minute: '2-digit' })}` : '',
    channel: e.channel,
  }));
}

/**
 * The last changes PlanPulse made to a task, for people with a stake in it: its owners, its QA reviewers and
 * assurers, plan leads and administrators.
 */
export async function historyFor(ref: string, actor: Actor | undefined, deps: AppDeps): Promise<{ card: AdaptiveCard; entries: AuditEntry[] } | { refusal: string }> {
  const [found, roles] = await Promise.all([deps.tasks.findByRef(ref.trim()), deps.roles.load()]);
  const task = found[0];
  if (!task) return { refusal: `No task has the reference "${clip(ref.trim(), 40)}". References look like AFI1-T3 or E12.` };
  if (actor) {
    const policy = deps.tasks.policy(task.listKey);
    const stakeholders = [
      ...(policy?.qa ? selectedIds(policy.qa.reviewers, roles) : []),
      ...(policy?.sampling ? selectedIds(policy.sampling.assurers, roles) : []),
      ...roles.entries.filter((e) => e.planLead).flatMap((e) => e.people.map((p) => p.aadObjectId)),
    ];
    if (!mayUpdate(task, actor.aadObjectId, roles) && !stakeholders.includes(actor.aadObjectId) && !deps.isAdmin(actor.aadObjectId))
      return { refusal: t(actor.lang ?? 'en', 'history.refused', { ref: task.ref }) };
  }
  await deps.audit.flush();
  const entries = await deps.audit.history(task.ref, 10);
  const lang = actor?.lang ?? 'en';
  return { card: historyCard(t(lang, 'history.heading', { ref: task.ref, title: clip(task.title, 80) }), historyRows(entries, deps.timeZone, lang), lang), entries };
}
