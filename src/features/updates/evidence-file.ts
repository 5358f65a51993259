import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { savedBefore } from '../../app/audited-change.js';
import { expandTemplate, type AdaptiveCard } from '../../app/cards/templates.js';
import { inert, messageCard } from '../../app/cards/views.js';
import { sayIn, t, type Lang } from '../../app/i18n.js';
import type { Actor, AppDeps } from '../../app/context.js';
import type { ChatMessage } from '../../app/feature.js';
import type { ActionOutcome, CommandReply } from '../../app/outcomes.js';
import { FileExistsError, FileUnavailableError, type ChatFile } from '../../app/ports.js';
import { stateRecord } from '../../app/state.js';
import { loadEditableTask, type EditableTask } from '../../app/task-access.js';
import { readEvidenceMessage } from '../../domain/chat-update.js';
import { candidateNames, checkContent, checkFileName, folderForRef, tooLargeProblem } from '../../domain/evidence-file.js';
import { QA, type Task } from '../../domain/task.js';
import type { ListPolicy } from '../../domain/policy.js';
import { planUpdate, type UpdateRequest } from '../../domain/update.js';
import { localDateOf } from '../../domain/dates.js';
import { applyUpdate } from './apply-update.js';
import { resolveRef } from './chat-update.js';

/** A file sent without a task: kept until the person picks one. Teams' download link lasts about an hour. */
const waitingFiles = stateRecord(
  'evidence/waiting',
  z.object({ at: z.string(), aadObjectId: z.string(), file: z.object({ name: z.string(), downloadUrl: z.string(), fileType: z.string().optional() }), description: z.string().optional(), complete: z.boolean().optional() }),
  'features/updates',
);
const WAIT_MS = 60 * 60_000;

/**
 * One file on its way into the library, by the request that sent it (a message id, or the file waiting for a task):
 * the name being tried is recorded before each upload and the stored link after it, so a request retried after a
 * crash finds its own file instead of storing a second copy.
 */
const storedEvidence = z.object({ webUrl: z.string(), name: z.string(), size: z.number() });
const journalSchema = z.object({ at: z.string(), listKey: z.string(), itemId: z.string(), path: z.string().optional(), stored: storedEvidence.optional() });
const storing = stateRecord('evidence/storing', journalSchema, 'features/updates');
type Journal = z.infer<typeof journalSchema>;
type StoredEvidence = z.infer<typeof storedEvidence>;

/**
 * Files nobody chose a task for within the hour (their Teams links have expired) and finished uploads older than a
 * week, forgotten when the next file arrives: there are few, and nothing else reads them.
 */
async function forgetOld(deps: AppDeps): Promise<void> {
  const now = deps.clock.now().getTime();
  await waitingFiles.sweep(deps.store, (r) => Date.parse(r.at) + WAIT_MS < now);
  await storing.sweep(deps.store, (r) => Date.parse(r.at) + 7 * 86_400_000 < now);
}

const idOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

const CONTENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', doc: 'application/msword',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', xls: 'application/vnd.ms-excel',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ppt: 'application/vnd.ms-powerpoint',
  csv: 'text/csv', txt: 'text/plain', rtf: 'application/rtf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif',
  msg: 'application/vnd.ms-outlook', eml: 'message/rfc822', zip: 'application/zip',
};

const refused = (lang: Lang, text: string): CommandReply => ({ text: `${text}\n\n${t(lang, 'evidence.nothingStored')}` });

const megabytes = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/** Tasks a person can still add evidence to: theirs, and not locked by a QA approval. */
const open = (tasks: Task[]) => tasks.filter((t) => t.qaStatus !== QA.approved);

/**
 * A message with a file: stored as evidence for the task it names, or — without a task, or one the person does not
 * own — kept while they choose one of their tasks.
 */
export async function receiveEvidenceFile(deps: AppDeps, actor: Actor, message: ChatMessage): Promise<CommandReply> {
  const lang = actor.lang ?? 'en';
  if (!message.files.length)
    return refused(lang, t(lang, 'evidence.pasted'));
  if (message.files.length > 1) return refused(lang, t(lang, 'evidence.several', { n: message.files.length }));
  const file = message.files[0]!;
  await forgetOld(deps);
  // Teams' message ids are unique within a chat, not across people: the sender is part of the id.
  const requestId = idOf(`message:${actor.aadObjectId}:${message.id ?? randomUUID()}`);
  const asked = readEvidenceMessage(message.text);
  const owned = await deps.tasks.tasksOwnedBy(actor.aadObjectId, await deps.roles.load());
  // The reference is looked up among all the person's tasks, so an approved one is named and refused, not mistaken.
  const found = asked.ref ? resolveRef(asked.ref, owned) : undefined;
  const tasks = open(owned);
  if (!tasks.length && !(found && 'task' in found)) return refused(lang, t(lang, 'evidence.noTasks', { name: JSON.stringify(file.name) }));
  if (found && 'task' in found && !found.typed) {
    const loaded = await loadEditableTask(deps, found.task, actor);
    if ('kind' in loaded) return refused(lang, loaded.message);
    return storeEvidence(deps, actor, loaded, file, asked, requestId);
  }
  // Checked now so a file that could never be stored is refused before the person is asked anything.
  const rules = tasks[0] && deps.tasks.policy(tasks[0].listKey)?.input.evidenceFiles;
  const name = rules && checkFileName(file.name, rules, sayIn(lang));
  if (name && !name.ok) return refused(lang, name.problem);
  await waitingFiles.put(deps.store, requestId, { at: deps.clock.now().toISOString(), aadObjectId: actor.aadObjectId, file, description: asked.description, complete: asked.complete });
  const notice = !asked.ref ? '' : found && 'task' in found ? t(lang, 'evidence.didYouMean', { typed: asked.ref, ref: found.task.ref }) : t(lang, 'evidence.notYours', { ref: asked.ref });
  const selected = found && 'task' in found && tasks.includes(found.task) ? found.task : undefined;
  return { card: evidenceChoiceCard(file.name, requestId, tasks, notice, selected, actor.lang) };
}

export function evidenceChoiceCard(fileName: string, fileId: string, tasks: Task[], notice: string, selected?: Task, lang?: Lang): AdaptiveCard {
  const cut = (t: string) => (t.length > 70 ? `${t.slice(0, 69)}…` : t);
  return expandTemplate('evidence-choice', {
    fileName: JSON.stringify(inert(fileName)), fileId, notice,
    selected: selected ? `${selected.listKey}/${selected.itemId}` : '',
    tasks: tasks.slice(0, 100).map((t) => ({ title: `${t.ref} · ${cut(t.title)}`, value: `${t.listKey}/${t.itemId}` })),
  }, lang);
}

export const attachEvidenceSchema = z.object({
  file: z.string().regex(/^[0-9a-f]{32}$/),
  task: z.string().regex(/^[a-z0-9-]{1,32}\/[A-Za-z0-9_-]{1,64}$/, 'choose a task'),
});

/** "Store it" on the choice card: the waiting file goes to the chosen task. */
export async function attachEvidence(deps: AppDeps, data: z.infer<typeof attachEvidenceSchema>, actor: Actor): Promise<ActionOutcome> {
  const lang = actor.lang ?? 'en';
  const [listKey, itemId] = data.task.split('/') as [string, string];
  const answer = (reply: CommandReply): ActionOutcome =>
    'card' in reply ? { kind: 'card', card: reply.card, updateMessage: true } : { kind: 'card', card: messageCard(t(lang, 'evidence.notStoredHeading'), reply.text, 'attention', { backToTasks: true, lang }) };
  const journal = await storing.get(deps.store, data.file);
  if (journal?.stored) {
    // A retried click, or the card pressed again: the file went to one task and stays there.
    const loaded = await loadEditableTask(deps, { listKey: journal.listKey, itemId: journal.itemId }, actor);
    if ('kind' in loaded) return loaded;
    if (journal.listKey !== listKey || journal.itemId !== itemId)
      return answer({ text: t(lang, 'evidence.alreadyFor', { name: journal.stored.name, ref: loaded.task.ref }) });
    return answer(await linkFile(deps, actor, loaded, journal.stored, {}, data.file));
  }
  const waiting = await waitingFiles.get(deps.store, data.file);
  if (!waiting || waiting.aadObjectId !== actor.aadObjectId || Date.parse(waiting.at) + WAIT_MS < deps.clock.now().getTime())
    return { kind: 'error', status: 404, message: t(lang, 'evidence.expired') };
  const loaded = await loadEditableTask(deps, { listKey, itemId }, actor);
  if ('kind' in loaded) return loaded;
  return answer(await storeEvidence(deps, actor, loaded, waiting.file, waiting, data.file));
}

/**
 * Stores one file as a task's evidence: every check that can refuse it first (its name and type, the task's
 * rules — an approved task is locked — its size, its content), then the upload into `<folder>/<ref>/` and the
 * evidence link written through the same audited update as the card. `requestId` makes a retry after a crash
 * finish the same file rather than store another.
 */
async function storeEvidence(deps: AppDeps, actor: Actor, loaded: EditableTask, file: ChatFile, asked: Asked, requestId: string): Promise<CommandReply> {
  const lang = actor.lang ?? 'en';
  const say = sayIn(lang);
  const { task, policy } = loaded;
  const rules = policy.input.evidenceFiles;
  const now = deps.clock.now();
  const earlier = await storing.get(deps.store, requestId);
  const sameTask = (j: Journal) => j.listKey === task.listKey && j.itemId === task.itemId;
  if (earlier?.stored && sameTask(earlier)) return linkFile(deps, actor, loaded, earlier.stored, asked, requestId);
  const name = checkFileName(file.name, rules, say);
  if (!name.ok) return refused(lang, name.problem);
  const folder = `${rules.folder}/${folderForRef(task.ref)}`;
  // An earlier attempt that died after its upload: the file is there, and Teams' link may have expired since.
  if (earlier?.path && sameTask(earlier)) {
    const there = await deps.documents.find(earlier.path, { listKey: task.listKey });
    if (there && Date.parse(there.createdAt) >= Date.parse(earlier.at) - SKEW_MS) {
      const stored = { webUrl: there.webUrl, name: earlier.path.split('/').at(-1)!, size: there.size };
      await storing.put(deps.store, requestId, { ...earlier, stored });
      return linkFile(deps, actor, loaded, stored, asked, requestId);
    }
  }
  const trial = planUpdate(task, requestFor(policy, { link: 'https://stored.invalid/', name: name.name }, asked), policy, { displayName: actor.name }, { instant: now.toISOString(), today: localDateOf(now, deps.timeZone) }, say);
  if (!trial.ok) return refused(lang, trial.errors.join(' '));
  let bytes: Buffer | { tooLarge: true; size?: number };
  try {
    bytes = await deps.chatFiles.download(file, rules.maxBytes);
  } catch (e) {
    if (e instanceof FileUnavailableError) return refused(lang, `${t(lang, `evidence.unavailable.${e.reason}`, { status: e.status ?? '', where: e.where ?? '' })} ${t(lang, 'evidence.sendAgain')}`);
    throw e;
  }
  if (!Buffer.isBuffer(bytes)) return refused(lang, tooLargeProblem(name.name, rules, say, bytes.size));
  const problem = checkContent(name.name, name.extension, bytes, say);
  if (problem) return refused(lang, problem);
  // Claimed for this task just before the upload: a second press for another task, or a redelivery while the first
  // is still storing, cannot store the same file twice (a refusal above leaves no claim behind).
  let claimedElsewhere = false;
  const claim = await storing.update(deps.store, requestId, (current) => {
    claimedElsewhere = current !== undefined && !sameTask(current) && (current.stored !== undefined || current.path !== undefined);
    return current && (claimedElsewhere || sameTask(current)) ? current : { at: now.toISOString(), listKey: task.listKey, itemId: task.itemId };
  });
  if (claimedElsewhere) return refused(lang, t(lang, 'evidence.busyElsewhere'));
  const journal: Journal = { at: claim.at, listKey: task.listKey, itemId: task.itemId, path: claim.path };
  const stored = await upload(deps, requestId, journal, folder, fitted(name, folder, task), bytes);
  if (!stored) return refused(lang, t(lang, 'evidence.twenty', { name: JSON.stringify(name.name), ref: task.ref }));
  await storing.put(deps.store, requestId, { ...journal, stored });
  await waitingFiles.delete(deps.store, requestId);
  return linkFile(deps, actor, loaded, stored, asked, requestId);
}

/** How far SharePoint's clock and PlanPulse's may disagree when deciding whether a file is this request's own. */
const SKEW_MS = 5_000;

/** Types SharePoint rewrites as it stores them (document properties), so their stored size differs. */
const REWRITTEN = new Set(['docx', 'xlsx', 'pptx', 'doc', 'xls', 'ppt']);

/** The link column holds 255 characters; each "(2)" suffix and the encoding count. */
const LINK_LIMIT = 255;

/**
 * The file's name shortened, if need be, so its link fits the evidence link column: estimated from the task's own
 * link (its site) and the library's usual address, percent-encoded as SharePoint writes it.
 */
function fitted(name: { name: string; extension: string }, folder: string, task: Task): { name: string; extension: string } {
  const site = task.webUrl?.split('/Lists/')[0];
  if (!site) return name;
  const prefix = `${site}/Shared%20Documents/${folder.split('/').map(encodeURIComponent).join('/')}/`;
  const room = LINK_LIMIT - prefix.length - ' (20)'.length * 3;
  const dot = name.extension ? name.name.slice(name.name.length - name.extension.length - 1) : '';
  let stem = name.name.slice(0, name.name.length - dot.length);
  while (stem.length > 8 && encodeURIComponent(`${stem}${dot}`).length > room) stem = stem.slice(0, -1).trimEnd();
  return { ...name, name: `${stem}${dot}` };
}

/** What the person asked for with the file: words saying what it shows, and whether it completes the task ("done REF"). */
type Asked = { description?: string; complete?: boolean };

function requestFor(policy: ListPolicy, storedFile: { link: string; name: string }, asked: Asked): UpdateRequest {
  return { storedFile, evidenceSummary: asked.description, ...(asked.complete && { status: policy.vocabulary.complete[0] }) };
}

/** Sets a stored file as the task's evidence link, through the same audited update as the card's. */
async function linkFile(deps: AppDeps, actor: Actor, loaded: EditableTask, stored: StoredEvidence, asked: Asked, requestId: string): Promise<CommandReply> {
  const lang = actor.lang ?? 'en';
  const { task } = loaded;
  const folder = loaded.policy.input.evidenceFiles.folder;
  const earlier = await savedBefore(deps, requestId);
  if (earlier) return { card: evidenceStoredCard(task, stored, folder, earlier, 'good', actor.lang) };
  const request = requestFor(loaded.policy, { link: stored.webUrl, name: stored.name }, asked);
  let applied = await applyUpdate(deps, requestId, loaded, task.eTag, request, actor, 'Teams chat (file)');
  if (applied.kind === 'conflict') {
    // Someone saved the task meanwhile: the link is a change of its own, so it is applied to the latest version.
    const latest = await loadEditableTask(deps, task, actor);
    if ('kind' in latest) return { text: t(lang, 'evidence.inLibraryNotLinked', { why: latest.message, url: stored.webUrl }) };
    applied = await applyUpdate(deps, requestId, latest, latest.task.eTag, request, actor, 'Teams chat (file)');
  }
  switch (applied.kind) {
    case 'saved':
      return { card: evidenceStoredCard(applied.task, stored, folder, applied.notes.join(' '), applied.audited ? 'good' : 'warning', actor.lang) };
    case 'not yours':
      return { text: t(lang, 'evidence.inLibraryNotLinked', { why: applied.message, url: stored.webUrl }) };
    case 'conflict':
      return { text: t(lang, 'evidence.keptChanging', { ref: task.ref, url: stored.webUrl }) };
    case 'invalid':
      return { text: t(lang, 'evidence.notSet', { url: stored.webUrl, ref: task.ref, why: applied.errors.join(' ') }) };
  }
}

/**
 * Uploads under the first free name in the task's folder, never over another file. A name that turns out taken, or
 * an upload whose answer was lost, is looked at: a file of this size created since this request began is this
 * request's own (an earlier attempt, perhaps by a process that then died), and is used rather than stored again.
 */
async function upload(
  deps: AppDeps,
  requestId: string,
  journal: Journal,
  folder: string,
  name: { name: string; extension: string },
  bytes: Buffer,
): Promise<StoredEvidence | undefined> {
  const contentType = CONTENT_TYPES[name.extension] ?? 'application/octet-stream';
  const ours = async (path: string) => {
    const there = await deps.documents.find(path, { listKey: journal.listKey });
    // Created since this request began, under a name it chose in the task's folder, with its size: its own. An
    // Office file's size is not compared: SharePoint rewrites its properties as it stores it.
    const sameSize = there?.size === bytes.length || REWRITTEN.has(name.extension);
    return there && sameSize && Date.parse(there.createdAt) >= Date.parse(journal.at) - SKEW_MS ? there : undefined;
  };
  for (const candidate of candidateNames(name.name, name.extension)) {
    const path = `${folder}/${candidate}`;
    await storing.put(deps.store, requestId, { ...journal, path });
    try {
      const stored = await deps.documents.publish(path, bytes, contentType, { listKey: journal.listKey, keepExisting: true });
      return { webUrl: stored.webUrl, name: candidate, size: bytes.length };
    } catch (e) {
      // Taken — by another file, or by this one when an earlier attempt's answer was lost: look before moving on.
      const mine = await ours(path);
      if (mine) return { webUrl: mine.webUrl, name: candidate, size: bytes.length };
      if (!(e instanceof FileExistsError)) throw e;
    }
  }
  return undefined;
}

export function evidenceStoredCard(task: Task, stored: StoredEvidence, folder: string, notes: string, style: 'good' | 'warning', lang?: Lang): AdaptiveCard {
  return expandTemplate('evidence-stored', {
    ref: task.ref, title: inert(task.title), notes, style,
    fileName: inert(stored.name), webUrl: stored.webUrl, size: megabytes(stored.size), folder: `${folder}/${folderForRef(task.ref)}`,
    listKey: task.listKey, itemId: task.itemId,
  }, lang);
}
