import type { AdaptiveCard } from '../../app/cards/templates.js';
import type { AppDeps } from '../../app/context.js';
import { reachResults, sendCards } from '../../app/send.js';
import { localDateOf } from '../../domain/dates.js';
import { buildDigest, committeeTable, lastWeeksSnapshot, snapshotOf, type Digest } from '../../domain/digest.js';
import { selectedIds } from '../../domain/qa.js';
import { ownersOf } from '../../domain/reminders.js';
import type { RoleDirectory } from '../../domain/roles.js';
import { QA, taskKeyString, type Task } from '../../domain/task.js';
import { buildCommitteePack, committeeWorkbook, XLSX_TYPE } from './committee-pack.js';
import { digestCard } from './digest-card.js';
import { snapshots as snapshotRecord } from './state.js';

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
async function reachOfOwners(deps: AppDeps, tasks: Task[], roles: RoleDirectory, since: number): Promise<{ title: string; lines: string[] }> {
  const owners = new Map(tasks.filter((t) => t.statusCategory !== 'complete').flatMap((t) => ownersOf(t, roles).people).map((p) => [p.aadObjectId, p.displayName]));
  const missing: string[] = [];
  const installed: string[] = [];
  for (const [id, name] of owners) {
    const found = await deps.conversations.reachable(deps.tenantId, id);
    const result = await reachResults.get(deps.store, id);
    if ('unreachable' in found) missing.push(`${name} (${(result?.detail ? `PlanPulse could not be installed for them: ${result.detail}` : found.unreachable).slice(0, 110)})`);
    if (result && Date.parse(result.at) >= since && result.outcome === 'newly installed') installed.push(name);
  }
  const lines = [
    ...(installed.length ? [`PlanPulse installed itself for ${installed.sort().join(', ')} this week and welcomed them.`] : []),
    ...missing.sort(),
  ];
  return { title: `Reach in Teams: ${owners.size - missing.length} of ${owners.size} task owners can be messaged`, lines };
}

function listLinks(tasks: Task[]): { title: string; url: string }[] {
  const byList = new Map<string, string>();
  for (const t of tasks) if (t.webUrl && !byList.has(t.listKey)) byList.set(t.listKey, t.webUrl.replace(/\/\d+_\.000$/, ''));
  return [...byList.entries()].map(([key, url]) => ({ title: byList.size === 1 ? 'Open the plan list' : `Open list ${key}`, url }));
}

/**
 * Builds this week's digest. Sending it (the scheduled run) also stores this week's snapshot, so next week shows
 * movement; a dry run or an on-demand `digest` leaves the snapshots alone.
 */
export async function runDigest(deps: AppDeps, options: { dryRun: boolean; send: boolean }): Promise<DigestRun> {
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
  const pack = sending ? await publishCommitteePack(deps) : undefined;
  const links = [...listLinks(tasks), ...(pack ? [{ title: 'Committee pack (Excel)', url: pack.webUrl }] : [])];
  const card = digestCard(digest, { shown: deps.digest?.overdueShown ?? 10, reach: await reachOfOwners(deps, tasks, roles, deps.clock.now().getTime() - 7 * 86_400_000), links });
  const run: DigestRun = { digest, card, sentTo: [], notReached: [], failed: 0 };
  if (!sending) return run;
  const leaders = digestLeaders(deps, roles);
  const { sent, notReached } = await sendCards(deps, leaders, card, 'Improvement plans: weekly digest', { once: `digest/${today}` });
  run.sentTo = sent.map((s) => roles.nameOf(s.aadObjectId));
  run.notReached = notReached.map((n) => `${roles.nameOf(n.aadObjectId)} (${n.reason})`);
  run.failed = notReached.filter((n) => n.kind === 'failed').length;
  const kept = snapshots.filter((s) => s.date !== today).slice(-9);
  await snapshotRecord.put(deps.store, undefined, [...kept, snapshotOf(digest, tasks)]);
  return run;
}

/** The committee pack, written and put in the plan site's library for the digest to link to; a failure costs only the link. */
async function publishCommitteePack(deps: AppDeps): Promise<{ webUrl: string } | undefined> {
  try {
    const pack = await buildCommitteePack(deps, {});
    return await deps.documents.publish(`PlanPulse/Committee packs/Committee pack ${pack.date}.xlsx`, await committeeWorkbook(pack), XLSX_TYPE);
  } catch (e) {
    deps.log.warn({ err: e }, 'the committee pack could not be published; the digest goes without its link');
    return undefined;
  }
}

export function formatDigestRun(run: DigestRun, dryRun: boolean): string {
  const d = run.digest;
  const list = (title: string, lines: { task: Task; owner: string; detail: string }[]) =>
    lines.length ? [`${title} (${lines.length}):`, ...lines.slice(0, 10).map((l) => `  ${l.task.ref.padEnd(10)} ${l.owner.padEnd(28)} ${l.detail}`), ...(lines.length > 10 ? [`  …and ${lines.length - 10} more`] : [])] : [];
  return [
    `${dryRun ? 'DRY RUN — nothing sent. ' : ''}Digest for ${d.date}${d.since ? ` (movement since ${d.since})` : ' (no snapshot from last week yet)'}`,
    '',
    committeeTable(d),
    '',
    ...list('Oldest overdue', d.overdue),
    ...list('Awaiting QA', d.awaitingQa),
    ...list('Complete without evidence', d.noEvidence),
    ...list('Revised dates this week', d.revisedDates),
    ...list('Data-quality problems', d.dataQuality),
    ...(dryRun ? [] : ['', `Sent to: ${run.sentTo.join(', ') || 'nobody'}${run.notReached.length ? `; not reachable: ${run.notReached.join(', ')}` : ''}`]),
  ].join('\n');
}
