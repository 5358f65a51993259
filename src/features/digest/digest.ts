import type { AdaptiveCard } from '../../app/cards/templates.js';
import { dateIn, t, type Lang } from '../../app/i18n.js';
import { languageFor } from '../../app/language.js';
import { unreachableIn } from '../../app/unreachable.js';
import type { AppDeps } from '../../app/context.js';
import { delivered, outcomeText, reachResults, sendCards, sendCardTo, type SendOutcome } from '../../app/send.js';
import type { ConversationRecord } from '../../app/ports.js';
import { addDays, localDateOf } from '../../domain/dates.js';
import { buildDigest, committeeTable, digestCharts, lastWeeksSnapshot, snapshotOf, type Digest } from '../../domain/digest.js';
import { selectedIds } from '../../domain/qa.js';
import { ownersOf } from '../../domain/reminders.js';
import type { RoleDirectory } from '../../domain/roles.js';
import { QA, taskKeyString, type Task } from '../../domain/task.js';
import { buildCommitteePack, committeeWorkbook, XLSX_TYPE } from './committee-pack.js';
import { digestCard } from './digest-card.js';
import { overdueLists as overdueListRecord, snapshots as snapshotRecord, type DrillLists } from './state.js';

export interface DigestRun {
  digest: Digest;
  card: AdaptiveCard;
  sentTo: string[];
  notReached: string[];
  /** Leaders whose send failed for a reason that may pass. */
  failed: number;
}

/** Leaders: the configured digest audience, or holders of roles marked PlanLead. */
export function digestLeaders(deps: AppDeps, roles: RoleDirectory): string[] {
  if (deps.digest?.leaders) return selectedIds(deps.digest.leaders, roles);
  return [...new Set(roles.entries.filter((e) => e.planLead).flatMap((e) => e.people.map((p) => p.aadObjectId)))];
}

/**
 * How far Teams reaches the people who own open work: how many can be messaged, whom PlanPulse installed itself for
 * this week, and who cannot be reached and why (not installed, blocked, a guest, the app policy), for the plan lead.
 */
async function reachOfOwners(deps: AppDeps, tasks: Task[], roles: RoleDirectory, since: number): Promise<{ counts: { reached: number; owners: number }; installed: string[]; missing: { name: string; reason: string }[] }> {
  const owners = new Map(tasks.filter((t) => t.statusCategory !== 'complete').flatMap((t) => ownersOf(t, roles).people).map((p) => [p.aadObjectId, p.displayName]));
  const missing: { name: string; reason: string }[] = [];
  const installed: string[] = [];
  for (const [id, name] of owners) {
    const found = await deps.conversations.reachable(deps.tenantId, id);
    const result = await reachResults.get(deps.store, id);
    if ('unreachable' in found) missing.push({ name, reason: result?.detail && result.outcome !== 'newly installed' && result.outcome !== 'already installed' ? result.detail : found.unreachable });
    if (result && Date.parse(result.at) >= since && result.outcome === 'newly installed') installed.push(name);
  }
  return { counts: { reached: owners.size - missing.length, owners: owners.size }, installed: installed.sort(), missing: missing.sort((a, b) => a.name.localeCompare(b.name)) };
}

function listLinks(tasks: Task[], lang: Lang): { title: string; url: string }[] {
  const byList = new Map<string, string>();
  for (const task of tasks) if (task.webUrl && !byList.has(task.listKey)) byList.set(task.listKey, task.webUrl.replace(/\/\d+_\.000$/, ''));
  return [...byList.entries()].map(([key, url]) => ({ title: byList.size === 1 ? t(lang, 'digest.openList') : t(lang, 'digest.openListKey', { key }), url }));
}

/**
 * Builds this week's digest. Sending it (the scheduled run) also stores this week's snapshot, so next week shows
 * movement and the trend line grows; a dry run or an on-demand `digest` leaves the snapshots alone. The overdue
 * lists behind the "look closer" buttons are kept with the card (`keepLists`), so a click never reads the plan.
 */
export async function runDigest(deps: AppDeps, options: { dryRun: boolean; send: boolean; keepLists?: boolean; lang?: Lang }): Promise<DigestRun> {
  const today = localDateOf(deps.clock.now(), deps.timeZone);
  const [tasks, roles] = await Promise.all([deps.tasks.allTasks(), deps.roles.load()]);
  const snapshots = (await snapshotRecord.get(deps.store)) ?? [];
  const submitted: Record<string, string> = {};
  for (const t of tasks.filter((x) => x.qaStatus === QA.awaiting)) {
    const at = await deps.qaReviews.submittedAt(t);
    if (at) submitted[taskKeyString(t)] = at;
  }
  const digest = buildDigest(tasks, roles, today, deps.rules, deps.timeZone, lastWeeksSnapshot(snapshots, today), submitted);
  const sending = options.send && !options.dryRun;
  const pack = sending ? await publishCommitteePack(deps, { tasks, roles }) : undefined;
  const drill = overdueLists(digest);
  // Kept per digest date, so an on-demand digest never changes what a sent one's buttons list.
  if (sending || options.keepLists) await overdueListRecord.put(deps.store, today, drill);
  const reach = await reachOfOwners(deps, tasks, roles, deps.clock.now().getTime() - 7 * 86_400_000);
  const charts = digestCharts(digest, snapshots);
  const escalationsThisWeek = await deps.reminderHistory.escalatedSince(addDays(today, -6));
  const cards = new Map<Lang, AdaptiveCard>();
  const cardIn = (lang: Lang) => {
    if (!cards.has(lang))
      cards.set(lang, digestCard(digest, {
        lang, shown: deps.digest?.overdueShown ?? 10, charts, escalationsThisWeek,
        reach: {
          title: t(lang, 'digest.reachTitle', reach.counts),
          lines: [...(reach.installed.length ? [t(lang, 'digest.installed', { names: reach.installed.join(', ') })] : []), ...reach.missing.map((m) => `${m.name} (${unreachableIn(lang, m.reason).slice(0, 110)})`)],
        },
        links: [...listLinks(tasks, lang), ...(pack ? [{ title: t(lang, 'digest.pack'), url: pack.webUrl }] : [])],
        drill: { date: today, pillars: Object.keys(drill.byPillar), roles: Object.keys(drill.byRole) },
      }));
    return cards.get(lang)!;
  };
  const run: DigestRun = { digest, card: cardIn(options.lang ?? 'en'), sentTo: [], notReached: [], failed: 0 };
  if (!sending) return run;
  const once = `digest/${today}`;
  // Each leader reads it in their own language.
  const byLang = new Map<Lang, string[]>();
  for (const id of digestLeaders(deps, roles)) {
    const lang = await languageFor(deps, id);
    byLang.set(lang, [...(byLang.get(lang) ?? []), id]);
  }
  for (const [lang, leaders] of byLang) {
    const { sent, notReached } = await sendCards(deps, leaders, cardIn(lang), t(lang, 'notify.digest'), { once, mayInstall: true });
    run.sentTo.push(...sent.map((s) => roles.nameOf(s.aadObjectId)));
    run.notReached.push(...notReached.map((n) => `${roles.nameOf(n.aadObjectId)} (${n.reason})`));
    run.failed += notReached.filter((n) => n.kind === 'failed').length;
  }
  const channel = deps.digest?.channel;
  if (channel) {
    const posted = await postToChannel(deps, channel.conversationId, cardIn(channel.language ?? 'en'), t(channel.language ?? 'en', 'notify.digest'), once);
    const name = `channel ${channel.name ?? channel.conversationId}`;
    if (delivered(posted)) run.sentTo.push(name);
    else {
      run.notReached.push(`${name} (${outcomeText(posted)})`);
      if (posted.kind === 'failed') run.failed += 1;
    }
  }
  const kept = snapshots.filter((s) => s.date !== today).slice(-(TREND_WEEKS - 1));
  await snapshotRecord.put(deps.store, undefined, [...kept, snapshotOf(digest, tasks)]);
  return run;
}

/** Weeks of % complete the trend line shows (and snapshots kept). */
const TREND_WEEKS = 12;

/** Posts the card in a channel of a team PlanPulse was added to, through the tenant's Teams service. */
async function postToChannel(deps: AppDeps, conversationId: string, card: AdaptiveCard, summary: string, once: string): Promise<SendOutcome> {
  const seen = await deps.conversations.anyChat(deps.tenantId);
  const conversation: ConversationRecord = {
    tenantId: deps.tenantId, aadObjectId: `channel:${conversationId}`, userId: '', conversationId, channelId: 'msteams', updatedAt: deps.clock.now().toISOString(),
    serviceUrl: seen?.serviceUrl ?? deps.reach.chatDefaults.serviceUrl, botId: seen?.botId ?? deps.reach.chatDefaults.botId, botName: seen?.botName ?? deps.reach.chatDefaults.botName,
  };
  return sendCardTo(deps, conversation, card, summary, { once });
}

const MOST_LISTED = 40;

/** The overdue lines of this digest by pillar and by owner role, oldest first, for the "look closer" buttons. */
function overdueLists(digest: Digest): DrillLists {
  const group = (key: (l: Digest['overdue'][number]) => string) => {
    const out: DrillLists['byPillar'] = {};
    for (const l of digest.overdue) (out[key(l)] ??= []).length < MOST_LISTED && out[key(l)]!.push({ ref: l.task.ref, title: l.task.title.slice(0, 90), owner: l.owner, days: l.days });
    return out;
  };
  return { date: digest.date, byPillar: group((l) => l.task.pillar?.trim() || 'No pillar'), byRole: group((l) => l.owner) };
}

/** The committee pack, written and put in the plan site's library for the digest to link to; a failure costs only the link. */
async function publishCommitteePack(deps: AppDeps, read: { tasks: Task[]; roles: RoleDirectory }): Promise<{ webUrl: string } | undefined> {
  try {
    const pack = await buildCommitteePack(deps, { read });
    return await deps.documents.publish(`PlanPulse/Committee packs/Committee pack ${pack.date}.xlsx`, await committeeWorkbook(pack), XLSX_TYPE);
  } catch (e) {
    deps.log.warn({ err: e }, 'the committee pack could not be published; the digest goes without its link');
    return undefined;
  }
}

export function formatDigestRun(run: DigestRun, dryRun: boolean, lang: Lang = 'en'): string {
  const d = run.digest;
  // The CLI's English report keeps ISO dates (scripts read it); Welsh dates are written out.
  const day = (iso: string) => (lang === 'en' ? iso : dateIn(lang, iso));
  const list = (key: string, lines: { task: Task; owner: string; detail: string }[]) =>
    lines.length
      ? [`${t(lang, `digest.section.${key}`, { n: lines.length })}:`, ...lines.slice(0, 10).map((l) => `  ${l.task.ref.padEnd(10)} ${l.owner.padEnd(28)} ${l.detail}`), ...(lines.length > 10 ? [`  ${t(lang, 'cli.more', { n: lines.length - 10 })}`] : [])]
      : [];
  return [
    `${dryRun ? t(lang, 'remind.dry') : ''}${t(lang, 'digestRun.head', { date: day(d.date) })}${d.since ? t(lang, 'digestRun.since', { date: day(d.since) }) : t(lang, 'digestRun.noSnapshot')}`,
    '',
    committeeTable(d),
    '',
    ...list('overdue', d.overdue),
    ...list('awaitingQa', d.awaitingQa),
    ...list('noEvidence', d.noEvidence),
    ...list('revisedDates', d.revisedDates),
    ...list('dataQuality', d.dataQuality),
    ...(dryRun ? [] : ['', `${t(lang, 'digestRun.sentTo', { names: run.sentTo.join(', ') || t(lang, 'digestRun.nobody') })}${run.notReached.length ? t(lang, 'digestRun.notReached', { list: run.notReached.join(', ') }) : ''}`]),
  ].join('\n');
}
