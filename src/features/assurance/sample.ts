import { writeAudited } from '../../app/audited-change.js';
import type { AppDeps } from '../../app/context.js';
import { sendCards } from '../../app/send.js';
import { ownerLabel } from '../../app/task-access.js';
import { localDateOf } from '../../domain/dates.js';
import { eligibleDeciders } from '../../domain/qa.js';
import { sampleCandidates, selectSample } from '../../domain/sampling.js';
import { SAMPLE } from '../../domain/task.js';
import { taskQueueCard } from './cards.js';
import { sampleRuns, type SampleRun } from './state.js';
import { languageFor } from '../../app/language.js';
import { dateIn, t, type Lang } from '../../app/i18n.js';

export const PLANPULSE_ACTOR = { aadObjectId: 'planpulse', displayName: 'PlanPulse' };

/**
 * Second-line sampling: from tasks approved at QA and not yet sampled, draw the configured share (at least one) with
 * a recorded seed, mark them Selected, and send the assurers one card listing them. One draw per list per day.
 */
export async function runSampling(deps: AppDeps, options: { dryRun: boolean; seed?: string }): Promise<SampleRun[]> {
  const now = deps.clock.now();
  const today = localDateOf(now, deps.timeZone);
  const [tasks, roles] = await Promise.all([deps.tasks.allTasks(), deps.roles.load()]);
  const runs: SampleRun[] = [];
  for (const listKey of [...new Set(tasks.map((t) => t.listKey))]) {
    const policy = deps.tasks.policy(listKey);
    if (!policy?.sampling) continue;
    const runId = `${listKey}/${today}`;
    const earlier = await sampleRuns.get(deps.store, runId);
    if (earlier?.finished && !options.dryRun) {
      runs.push(earlier);
      continue;
    }
    let run: SampleRun;
    if (earlier && !options.dryRun) run = earlier;
    else {
      const candidates = sampleCandidates(tasks.filter((t) => t.listKey === listKey));
      const seed = options.seed ?? `${listKey}:${today}`;
      const drawn = selectSample(candidates, policy.sampling.share, seed).map((t) => t.ref);
      run = { date: today, listKey, seed, share: policy.sampling.share, candidates: candidates.map((t) => t.ref), drawn, selected: [], notSelectedBecauseChanged: [], finished: false };
      if (options.dryRun) {
        runs.push({ ...run, selected: drawn });
        continue;
      }
      await sampleRuns.put(deps.store, runId, run);
    }
    const selected = [];
    run.notSelectedBecauseChanged = [];
    for (const ref of run.drawn) {
      const task = tasks.find((t) => t.listKey === listKey && t.ref === ref);
      if (!task) continue;
      // Marked by this draw before an interruption.
      if (task.sampleStatus === SAMPLE.selected) {
        selected.push(task);
        continue;
      }
      const changes = { sampleStatus: SAMPLE.selected };
      const written = await writeAudited(deps, `sample/${task.listKey}/${task.itemId}/${today}`, task, task.eTag, changes, PLANPULSE_ACTOR, `sampling job (seed ${run.seed})`, `${task.ref} selected for sampling`);
      if (written.kind === 'conflict') {
        run.notSelectedBecauseChanged.push(task.ref);
        continue;
      }
      selected.push(written.task);
    }
    run.selected = selected.map((t) => t.ref);
    const assurers = [...new Set(selected.flatMap((t) => eligibleDeciders(t, policy.sampling!.assurers, roles).filter((id) => id !== t.qaReviewerId)))];
    // Each assurer reads it in their own language.
    for (const assurer of selected.length ? assurers : []) {
      const lang = await languageFor(deps, assurer);
      await sendCards(
        deps,
        [assurer],
        taskQueueCard(
          t(lang, 'sample.heading', { n: selected.length }),
          t(lang, 'sample.summary', { pct: Math.round(run.share * 100), total: run.candidates.length, seed: run.seed }),
          selected.map((task) => ({ task, details: t(lang, 'sample.details', { status: task.qaStatus ?? '', by: task.qaReviewer ?? '?', on: task.qaDate ? dateIn(lang, task.qaDate) : 'none', owner: ownerLabel(task, roles) }) })),
          { title: t(lang, 'sample.button'), verb: 'sampleOpen' },
          lang,
        ),
        t(lang, 'notify.sample', { n: selected.length }),
        { once: `sample/${runId}`, mayInstall: true },
      );
    }
    run.finished = true;
    await sampleRuns.put(deps.store, runId, run);
    runs.push(run);
  }
  return runs;
}

export function formatSampleRuns(runs: SampleRun[], dryRun: boolean, lang: Lang = 'en'): string {
  if (runs.length === 0) return t(lang, 'sampleRun.none');
  return runs
    .map((r) => {
      const line = t(lang, 'sampleRun.line', { list: r.listKey, date: dateIn(lang, r.date), n: r.selected.length, total: r.candidates.length, share: String(r.share), seed: r.seed, refs: r.selected.join(', ') || t(lang, 'sampleRun.noneDrawn') });
      const changed = r.notSelectedBecauseChanged.length ? t(lang, 'sampleRun.changed', { refs: r.notSelectedBecauseChanged.join(', ') }) : '';
      return `${dryRun ? t(lang, 'sampleRun.dry') : ''}${line}${changed}`;
    })
    .join('\n');
}
