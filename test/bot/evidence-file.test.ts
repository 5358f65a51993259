import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../src/local/demo-data/people.js';
import { cardOf, textOf, type ConnectorCall } from '../helpers/connector.js';
import { downloadInfo, pdfBytes, teamsFileAttachment } from '../helpers/chat-files.js';
import { openChat, TEAMS_SDKS, type Chat, type DemoPerson } from '../helpers/teams-client.js';

const [ALEX, , , , , LYNNE] = DEMO_PEOPLE as DemoPerson[] as [DemoPerson, DemoPerson, DemoPerson, DemoPerson, DemoPerson, DemoPerson];
type Action = { type: string; title: string; verb?: string; url?: string; data?: Record<string, unknown> };

/**
 * Evidence files sent in the personal chat, through the bot's HTTP endpoint with Teams' documented file activity
 * (a download-info attachment whose link is in the sender's OneDrive — the emulator's), each Teams SDK. The file
 * ends in the plan site's library, in a folder for the task, linked and audited; anything refused stores nothing.
 */
describe.each(TEAMS_SDKS)('evidence files from the chat through %s', (sdk) => {
  let chat: Chat;
  beforeAll(async () => {
    chat = await openChat({ BOT_SDK: sdk }, [ALEX, LYNNE]);
  });
  afterAll(() => chat.close());

  const emulator = () => chat.bot.emulator;
  const site = () => emulator().model.data.sites[0]!;
  const item = (ref: string) => emulator().model.list(site(), 'Improvement Actions').items.find((i) => i.fields.ActionRef === ref)!;
  const auditRows = (ref: string, field: string) => emulator().model.list(site(), 'Plan Updates').items.filter((i) => i.fields.ActionRef === ref && i.fields.Field === field);
  /** Files in the plan site's library (not people's OneDrives), by path. */
  const library = () => new Map([...emulator().files].filter(([key]) => key.startsWith(site().id)).map(([key, f]) => [key.slice(site().id.length + 1), f]));
  /** The one answer in the sender's chat (a reviewer may be sent a card too). */
  const cardReply = (all: ConnectorCall[], to: DemoPerson = ALEX) => {
    const replies = all.filter((r) => r.conversationId === `a:chat-${to.id}`);
    expect(replies).toHaveLength(1);
    const card = cardOf(replies[0]!) as { actions?: Action[] };
    return { card, text: textOf(card), action: (title: string) => card.actions!.find((a) => a.title === title)! };
  };
  const textReply = (replies: ConnectorCall[]) => {
    expect(replies).toHaveLength(1);
    return String(replies[0]!.body.text ?? textOf(cardOf(replies[0]!)));
  };
  const sendFile = async (person: DemoPerson, text: string, name: string, bytes: Buffer, id?: string) =>
    chat.teams.send(person, { text, attachments: [await teamsFileAttachment(emulator(), person, name, bytes)], id });

  it('"evidence REF" with a PDF: stored in Evidence/REF/, set as the evidence link, audited once, answered with a card linking it', async () => {
    const bytes = pdfBytes(200_000);
    const answer = cardReply(await sendFile(ALEX, 'evidence AFI4-T2 - minutes of the estates board', 'Estates board minutes.pdf', bytes));
    expect(answer.text).toContain('Evidence stored for AFI4-T2');
    expect(answer.text).toContain('Saved AFI4-T2: evidence file Estates board minutes.pdf stored and linked; evidence description set.');
    const stored = library().get('Evidence/AFI4-T2/Estates board minutes.pdf')!;
    expect(stored.bytes.equals(bytes)).toBe(true);
    expect(answer.action('Open Estates board minutes.pdf')).toMatchObject({ type: 'Action.OpenUrl', url: stored.webUrl });
    expect(item('AFI4-T2').fields).toMatchObject({ EvidenceLink: stored.webUrl, EvidenceSummary: 'minutes of the estates board' });
    expect(auditRows('AFI4-T2', 'EvidenceLink').map((r) => [r.fields.NewValue, r.fields.Actor, r.fields.Channel])).toEqual([[stored.webUrl, 'Alex Wilber', 'Teams chat (file)']]);
  });

  it('the same name again is kept beside the first, never over it; over 4 MB goes through an upload session', async () => {
    const first = library().get('Evidence/AFI4-T2/Estates board minutes.pdf')!;
    const bytes = pdfBytes(9 * 1024 * 1024 + 77);
    const before = emulator().requests.length;
    const answer = cardReply(await sendFile(ALEX, 'evidence AFI4-T2', 'Estates board minutes.pdf', bytes));
    expect(answer.text).toContain('Estates board minutes (2).pdf');
    expect(library().get('Evidence/AFI4-T2/Estates board minutes.pdf')).toBe(first);
    expect(library().get('Evidence/AFI4-T2/Estates board minutes (2).pdf')!.bytes.equals(bytes)).toBe(true);
    const made = emulator().requests.slice(before);
    expect(made.filter((r) => r.path.endsWith(':/createUploadSession'))).toHaveLength(2); // the taken name, then the free one
    expect(made.filter((r) => r.path.startsWith('/_upload/')).length).toBe(3);
    expect(item('AFI4-T2').fields.EvidenceLink).toBe(library().get('Evidence/AFI4-T2/Estates board minutes (2).pdf')!.webUrl);
  });

  it('a file on its own: PlanPulse asks which task, stores it on "Store it", and a second press stores nothing more', async () => {
    const bytes = pdfBytes(50_000);
    const ask = cardReply(await sendFile(ALEX, '', 'Lease.pdf', bytes));
    expect(ask.text).toContain('Which task is "Lease.pdf" evidence for?');
    expect(library().has('Evidence/AFI4-T3/Lease.pdf')).toBe(false);
    const choices = (ask.card as { body: { id?: string; choices?: { title: string; value: string }[] }[] }).body.find((b) => b.id === 'task')!.choices!;
    expect(choices.some((c) => c.title.startsWith('AFI4-T3 · '))).toBe(true);
    expect(choices.some((c) => c.title.startsWith('AFI1-T1 · '))).toBe(false); // approved at QA: locked
    const store = ask.action('Store it');
    const data = { ...store.data, task: choices.find((c) => c.title.startsWith('AFI4-T3 · '))!.value };
    const stored = await chat.teams.invoke(ALEX, store.verb, data);
    expect(textOf(stored.value)).toContain('Evidence stored for AFI4-T3');
    expect(library().get('Evidence/AFI4-T3/Lease.pdf')!.bytes.equals(bytes)).toBe(true);
    const again = await chat.teams.invoke(ALEX, store.verb, data);
    expect(textOf(again.value)).toContain('Evidence stored for AFI4-T3');
    const other = await chat.teams.invoke(ALEX, store.verb, { ...data, task: choices.find((c) => c.title.startsWith('AFI4-T1 · '))!.value });
    expect(textOf(other.value)).toContain('already stored as evidence for AFI4-T3');
    expect([...library().keys()].filter((k) => k.includes('Lease'))).toEqual(['Evidence/AFI4-T3/Lease.pdf']);
    expect(auditRows('AFI4-T3', 'EvidenceLink')).toHaveLength(1);
  });

  it('a reference typed loosely or not the person\'s own gets the choice, with the near one chosen', async () => {
    const ask = cardReply(await sendFile(ALEX, 'evidence afi4 t4', 'Plan.pdf', pdfBytes(2_000)));
    expect(ask.text).toContain('Which task is "Plan.pdf" evidence for?');
    expect(ask.text).toMatch(/did you mean AFI4-T\d\?|AFI4-T4 is not one of your open tasks/);
  });

  it('"done REF" with a file completes the task with the file as its evidence, and it goes to QA like the update form', async () => {
    const ref = 'AFI4-T1';
    const saved = await chat.teams.invoke(ALEX, 'saveUpdate', { listKey: 'actions', itemId: item(ref).id, eTag: `"${item(ref).guid},${item(ref).version}"`, status: 'Complete', evidenceSummary: 'Described only' });
    expect(textOf(saved.value)).toMatch(/Add evidence before submitting for QA/);
    const evidenceOnly = cardReply(await sendFile(ALEX, `evidence ${ref}`, 'Draft.pdf', pdfBytes(3_000)));
    expect(evidenceOnly.text).toContain('Evidence stored for AFI4-T1');
    expect(item(ref).fields.QAStatus).toBe('Not submitted'); // a file alone changes no status
    const done = cardReply(await sendFile(ALEX, `done ${ref} signed off by the board`, 'Sign-off.pdf', pdfBytes(3_000)));
    expect(done.text).toMatch(/Saved AFI4-T1: status On Target → Complete; evidence file Sign-off.pdf stored and linked; evidence description set; submitted for QA\. Sent to QA: Lynne Robbins\./);
    expect(item(ref).fields).toMatchObject({ Status: 'Complete', QAStatus: 'Awaiting QA', EvidenceSummary: 'signed off by the board' });
    expect(chat.connector.sent().filter((c) => c.conversationId === `a:chat-${LYNNE.id}` && JSON.stringify(c.body).includes('Sign-off.pdf'))).not.toHaveLength(0);
    expect(String(item(ref).fields.EvidenceLink)).toMatch(/Evidence\/AFI4-T1\/Sign-off\.pdf$/);
  });

  describe('refused clearly, and nothing stored', () => {
    const refusedCases: [string, () => Promise<unknown[]>, RegExp][] = [
      ['a program', async () => [await teamsFileAttachment(emulator(), ALEX, 'setup.exe', Buffer.from('MZ\x90\x00rest of a program'))], /runs code when opened \(\.exe\)/],
      ['a program behind a second extension', async () => [await teamsFileAttachment(emulator(), ALEX, 'report.exe.pdf', pdfBytes(1_000))], /runs code when opened \(\.exe\)/],
      ['a program renamed to .pdf', async () => [await teamsFileAttachment(emulator(), ALEX, 'invoice.pdf', Buffer.from('MZ\x90\x00\x03\x00\x00\x00 program'))], /is a program, not a \.pdf file/],
      ['a .pdf that is not a PDF', async () => [await teamsFileAttachment(emulator(), ALEX, 'notes.pdf', Buffer.from('just some text pretending'))], /is not really a \.pdf file/],
      ['a type the plan does not accept', async () => [await teamsFileAttachment(emulator(), ALEX, 'drawing.dwg', randomBytes(500))], /this plan accepts \.pdf, \.docx/],
      ['a folder path in the name', async () => [downloadInfo('../../Shared Documents/board.pdf', 'https://localhost/x')], /contains a folder path/],
      ['a Windows path in the name', async () => [downloadInfo('..\\..\\board.pdf', 'https://localhost/x')], /contains a folder path/],
      ['hidden direction characters that disguise the type', async () => [downloadInfo('invoice\u202Efdp.exe', 'https://localhost/x')], /hidden characters/],
      ['a device name', async () => [downloadInfo('CON.pdf', 'https://localhost/x')], /device name/],
      ['a link to somewhere other than SharePoint', async () => [downloadInfo('board.pdf', 'https://files.example.com/board.pdf')], /not at the organisation's SharePoint/],
      ['an expired download link', async () => [downloadInfo('board.pdf', `https://localhost:${emulator().port}/_download/expired`)], /could not be read \(HTTP 404\).*link may have expired/s],
      ['two files at once', async () => [downloadInfo('a.pdf', 'https://localhost/a'), downloadInfo('b.pdf', 'https://localhost/b')], /You sent 2 files/],
      ['a picture pasted into the message', async () => [{ contentType: 'image/png', contentUrl: 'https://smba.trafficmanager.net/amer/v3/attachments/x/views/original' }], /picture pasted into the chat/],
    ];
    it.each(refusedCases)('%s', async (_name, attachments, problem) => {
      const libraryBefore = [...library().keys()];
      const version = item('AFI4-T3').version;
      const reply = textReply(await chat.teams.send(ALEX, { text: 'evidence AFI4-T3', attachments: await attachments() }));
      expect(reply).toMatch(problem);
      expect(reply).toContain('Nothing was stored.');
      expect([...library().keys()]).toEqual(libraryBefore);
      expect(item('AFI4-T3').version).toBe(version);
    });

    it('a file over the plan\'s limit is refused from its declared size (Content-Length)', async () => {
      const attachment = await teamsFileAttachment(emulator(), ALEX, 'survey.pdf', pdfBytes(26 * 1024 * 1024));
      const libraryBefore = [...library().keys()];
      const reply = textReply(await chat.teams.send(ALEX, { text: 'evidence AFI4-T3', attachments: [attachment] }));
      expect(reply).toMatch(/"survey.pdf" is 26 MB; this plan accepts files up to 25 MB/);
      expect([...library().keys()]).toEqual(libraryBefore);
    });

    it('a task approved at QA is locked: refused before the file is even fetched', async () => {
      const downloadsBefore = emulator().requests.filter((r) => r.path.startsWith('/_download/')).length;
      const reply = textReply(await sendFile(ALEX, 'evidence AFI1-T1', 'late.pdf', pdfBytes(1_000)));
      expect(reply).toMatch(/AFI1-T1 was approved by QA.*locked/);
      expect(emulator().requests.filter((r) => r.path.startsWith('/_download/')).length).toBe(downloadsBefore);
      expect([...library().keys()].some((k) => k.includes('late.pdf'))).toBe(false);
    });

    it('someone else\'s task cannot be given evidence', async () => {
      const reply = cardReply(await sendFile(LYNNE, 'evidence AFI4-T3', 'mine.pdf', pdfBytes(1_000)), LYNNE);
      expect(reply.text).toMatch(/AFI4-T3 is not one of your open tasks|Which task/);
      expect([...library().keys()].some((k) => k.includes('mine.pdf'))).toBe(false);
    });
  });

  it('"evidence REF" without a file says how to attach one', async () => {
    const reply = textReply(await chat.teams.say(ALEX, 'evidence AFI4-T3'));
    expect(reply).toContain('attach it to your message (the paperclip');
  });

  it('help lists it', async () => {
    const [reply] = await chat.teams.say(ALEX, 'help');
    expect(textOf(cardOf(reply!))).toContain('**evidence AFI3-T2** with a file attached');
  });

  it('holds while SharePoint throttles, fails a connection, and loses the answer to an upload that applied: one file, one link, one audit row', async () => {
    const bytes = pdfBytes(120_000);
    const before = emulator().requests.length;
    try {
      emulator().injectFault({ status: 429, retryAfterSeconds: 1, count: 1, match: 'PUT /v1.0/sites' });
      emulator().injectFault({ status: 'reset', count: 1, match: 'GET /_download' });
      const attachment = await teamsFileAttachment(emulator(), ALEX, 'Station audit.pdf', bytes);
      // The reset download is answered (Teams' copy could not be read); the person sends it again.
      expect(textReply(await chat.teams.send(ALEX, { text: 'evidence AFI4-T3', attachments: [attachment] }))).toMatch(/could not be read just now/);
      emulator().injectFault({ status: 'lost', count: 1, match: 'PUT /v1.0/sites' });
      const replies = await chat.teams.send(ALEX, { text: 'evidence AFI4-T3', attachments: [attachment] });
      expect(JSON.stringify(replies.map((r) => r.body))).toContain('Evidence stored for AFI4-T3');
    } finally {
      emulator().clearFaults();
    }
    // Each fault did fire: a download dropped, an upload refused with 429, an upload whose answer was lost.
    const made = emulator().requests.slice(before);
    expect(made.filter((r) => r.path.startsWith('/_download/') && r.status === 0)).toHaveLength(1);
    expect(made.filter((r) => r.method === 'PUT' && r.status === 429)).toHaveLength(1);
    expect(made.filter((r) => r.method === 'PUT' && r.status === 0 && r.path.includes('Station'))).toHaveLength(1);
    expect([...library().keys()].filter((k) => k.includes('Station audit'))).toEqual(['Evidence/AFI4-T3/Station audit.pdf']);
    expect(item('AFI4-T3').fields.EvidenceLink).toBe(library().get('Evidence/AFI4-T3/Station audit.pdf')!.webUrl);
    expect(auditRows('AFI4-T3', 'EvidenceLink').filter((r) => String(r.fields.NewValue).includes('Station%20audit'))).toHaveLength(1);
  });

  it('Teams delivering the same message twice stores the file once', async () => {
    const bytes = pdfBytes(10_000);
    const attachment = await teamsFileAttachment(emulator(), ALEX, 'Twice.pdf', bytes);
    const first = cardReply(await chat.teams.send(ALEX, { text: 'evidence AFI4-T3', attachments: [attachment], id: 'teams-message-twice' }));
    const second = cardReply(await chat.teams.send(ALEX, { text: 'evidence AFI4-T3', attachments: [attachment], id: 'teams-message-twice' }));
    expect(first.text).toContain('Evidence stored for AFI4-T3');
    expect(second.text).toContain('Evidence stored for AFI4-T3');
    expect([...library().keys()].filter((k) => k.includes('Twice'))).toEqual(['Evidence/AFI4-T3/Twice.pdf']);
    expect(auditRows('AFI4-T3', 'EvidenceLink').filter((r) => String(r.fields.NewValue).includes('Twice'))).toHaveLength(1);
  });
});
