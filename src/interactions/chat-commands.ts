import { messageCard } from '../app/cards/views.js';
import { t, type Lang } from '../app/i18n.js';
import { chooseLanguage } from '../app/language.js';
import type { AdaptiveCard } from '../app/cards/templates.js';
import type { Actor, AppDeps } from '../app/context.js';
import type { ChatCommand, ChatMessage, Feature } from '../app/feature.js';
import type { CommandReply } from '../app/outcomes.js';

/** What PlanPulse can do, from the commands the features register, in the person's language. */
export function helpCard(features: Feature[], prefix?: string, lang: Lang = 'en'): AdaptiveCard {
  const help = [...features.flatMap((f) => f.commands ?? []).map((c) => c.help), 'help.language', 'help.help', 'help.daily'].map((key) => t(lang, key)).join('\n\n');
  return messageCard(t(lang, 'help.heading'), `${prefix ? `${prefix}\n\n` : ''}${help}`, 'emphasis', { lang });
}

/** "iaith cymraeg", "language english", "iaith saesneg", "language welsh": a person choosing their language. */
function languageChosen(lower: string): Lang | undefined {
  const m = /^(?:iaith|language)\s+(cymraeg|welsh|cy|saesneg|english|en)$/.exec(lower);
  if (!m) return undefined;
  return ['cymraeg', 'welsh', 'cy'].includes(m[1]!) ? 'cy' : 'en';
}

const normalise = (text: string) => text.replace(/<at>.*?<\/at>/g, '').trim().replace(/\s+/g, ' ');

/**
 * The chat-command table, built from the commands the features register, plus `help`, which lists them. Unknown
 * text gets help, never silence.
 */
export class ChatCommands {
  private readonly commands: ChatCommand[];

  constructor(
    private readonly deps: AppDeps,
    private readonly features: Feature[],
  ) {
    this.commands = features.flatMap((f) => f.commands ?? []);
  }

  helpCard(prefix?: string, lang?: Lang): AdaptiveCard {
    return helpCard(this.features, prefix, lang);
  }

  async answer(message: ChatMessage | string, actor: Actor): Promise<CommandReply> {
    const { text } = typeof message === 'string' ? { text: message } : message;
    const typed = normalise(text);
    if (typeof message !== 'string' && (message.files.length || message.pastedPictures)) {
      const command = this.commands.find((c) => c.takesFiles);
      const reply = command && (await command.handle(this.deps, { actor, argument: typed, message }));
      if (reply) return reply;
    }
    const lower = typed.toLowerCase();
    const lang = actor.lang ?? 'en';
    if (lower === 'help' || lower === '?' || lower === 'cymorth') return { card: this.helpCard(undefined, lang) };
    const chosen = languageChosen(lower);
    if (chosen) {
      await chooseLanguage(this.deps, actor.aadObjectId, chosen);
      return { text: t(chosen, `language.chosen.${chosen}`) };
    }
    const fallback = (): CommandReply => ({ card: this.helpCard(t(lang, 'help.didNotUnderstand', { typed: text.trim().slice(0, 60) }), lang) });
    for (const command of this.commands)
      for (const word of command.words) {
        if (lower === word) return (await command.handle(this.deps, { actor, argument: '' })) ?? fallback();
        if (command.takesArgument && lower.startsWith(`${word} `)) return (await command.handle(this.deps, { actor, argument: typed.slice(word.length).trim() })) ?? fallback();
      }
    for (const command of this.commands.filter((c) => c.freeText)) {
      const reply = await command.handle(this.deps, { actor, argument: typed });
      if (reply) return reply;
    }
    return fallback();
  }
}
