import { randomUUID } from 'node:crypto';

/** Column definition as Graph returns it: common properties plus exactly one type facet. */
export interface ColumnDefinition {
  id: string;
  name: string;
  displayName: string;
  indexed: boolean;
  hidden: boolean;
  readOnly: boolean;
  required: boolean;
  text?: { allowMultipleLines: boolean; maxLength?: number };
  dateTime?: { format: 'dateOnly' | 'dateTime' };
  choice?: { choices: string[]; allowTextEntry: boolean; displayAs: string };
  personOrGroup?: { allowMultipleSelection: boolean; chooseFromType: string };
  number?: { decimalPlaces?: string };
  boolean?: Record<string, never>;
  hyperlinkOrPicture?: { isPicture: boolean };
}

export interface StoredItem {
  id: string;
  guid: string;
  version: number;
  createdDateTime: string;
  lastModifiedDateTime: string;
  fields: Record<string, unknown>;
  /** The list's change number when this item last changed (delta). */
  changeSeq?: number;
}

export interface StoredList {
  id: string;
  name: string;
  displayName: string;
  hidden: boolean;
  template: string;
  createdDateTime: string;
  columns: ColumnDefinition[];
  items: StoredItem[];
  nextItemId: number;
  /** Increases with every create, update and delete: what delta tokens point into. */
  changeSeq?: number;
  /** Deleted items, for delta. */
  deleted?: { id: string; changeSeq: number }[];
}

export interface StoredSite {
  id: string;
  hostname: string;
  path: string;
  displayName: string;
  lists: StoredList[];
}

export interface StoredUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string;
  jobTitle?: string;
  managerId?: string;
  /** "Guest" for people from outside the organisation. */
  userType?: 'Member' | 'Guest';
}

/** Teams apps: the organisation's catalogue, installations in people's personal scope, and who app policy blocks. */
export interface StoredTeams {
  catalog: { id: string; externalId: string; displayName: string }[];
  installed: { userId: string; installationId: string; catalogAppId: string; chatId: string }[];
  /** People whose app permission policy blocks every custom app. */
  blockedUsers: string[];
}

export interface EmulatorData {
  sites: StoredSite[];
  users: StoredUser[];
  teams?: StoredTeams;
}

export const USER_INFORMATION_LIST = 'User Information List';

/** Columns every SharePoint list has; they are read-only except Title. */
const BUILT_IN_FIELDS = new Set(['id', 'ID', 'Created', 'Modified', 'AuthorLookupId', 'EditorLookupId', '_UIVersionString', 'Attachments', 'ContentType', 'Edit', 'LinkTitle']);

export class GraphModelError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
  ) {
    super(message);
  }
}

export function etagOf(item: StoredItem): string {
  return `"${item.guid},${item.version}"`;
}

function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function newColumn(input: Partial<ColumnDefinition> & { name: string }): ColumnDefinition {
  const facets = ['text', 'dateTime', 'choice', 'personOrGroup', 'number', 'boolean', 'hyperlinkOrPicture'] as const;
  const given = facets.filter((f) => input[f] !== undefined);
  if (given.length > 1) throw new GraphModelError(400, 'invalidRequest', `Column '${input.name}' has more than one type facet: ${given.join(', ')}.`);
  return {
    id: input.id ?? randomUUID(),
    name: input.name,
    displayName: input.displayName ?? input.name,
    indexed: input.indexed ?? false,
    hidden: input.hidden ?? false,
    readOnly: input.readOnly ?? false,
    required: input.required ?? false,
    ...(given.length === 0 ? { text: { allowMultipleLines: false, maxLength: 255 } } : {}),
    ...Object.fromEntries(given.map((f) => [f, input[f]])),
  };
}

/** The in-memory SharePoint: sites, lists, items and users, with the rules Graph enforces on writes. */
export class SharePointModel {
  constructor(readonly data: EmulatorData) {}

  site(selector: { id?: string; hostname?: string; path?: string }): StoredSite {
    const site = selector.id
      ? this.data.sites.find((s) => s.id === selector.id || s.id.split(',')[1] === selector.id)
      : this.data.sites.find((s) => s.hostname === selector.hostname && s.path.toLowerCase() === selector.path?.replace(/\/$/, '').toLowerCase());
    if (!site) throw new GraphModelError(404, 'itemNotFound', 'Requested site could not be found');
    return site;
  }

  createSite(hostname: string, path: string, displayName: string): StoredSite {
    const site: StoredSite = { id: `${hostname},${randomUUID()},${randomUUID()}`, hostname, path, displayName, lists: [] };
    this.data.sites.push(site);
    this.createList(site, { displayName: USER_INFORMATION_LIST, hidden: true, template: 'userInformation', columns: [
      { name: 'EMail', text: { allowMultipleLines: false } },
      { name: 'UserName', text: { allowMultipleLines: false } },
      { name: 'Name', text: { allowMultipleLines: false } },
    ] });
    return site;
  }

  list(site: StoredSite, idOrTitle: string): StoredList {
    const wanted = idOrTitle.toLowerCase();
    const list = site.lists.find((l) => l.id === idOrTitle || l.displayName.toLowerCase() === wanted || l.name.toLowerCase() === wanted);
    if (!list) throw new GraphModelError(404, 'itemNotFound', `List '${idOrTitle}' does not exist at site with URL 'https://${site.hostname}${site.path}'.`);
    return list;
  }

  createList(site: StoredSite, input: { displayName: string; hidden?: boolean; template?: string; columns?: (Partial<ColumnDefinition> & { name: string })[] }): StoredList {
    if (!input.displayName?.trim()) throw new GraphModelError(400, 'invalidRequest', 'displayName is required.');
    if (site.lists.some((l) => l.displayName.toLowerCase() === input.displayName.toLowerCase()))
      throw new GraphModelError(409, 'nameAlreadyExists', `A list, survey, discussion board, or document library with the specified title already exists in this Web site.`);
    const list: StoredList = {
      id: randomUUID(),
      name: input.displayName.replace(/\s+/g, ''),
      displayName: input.displayName,
      hidden: input.hidden ?? false,
      template: input.template ?? 'genericList',
      createdDateTime: nowIso(),
      columns: [newColumn({ name: 'Title', displayName: 'Title' })],
      items: [],
      nextItemId: 1,
    };
    for (const c of input.columns ?? []) this.addColumn(list, c);
    site.lists.push(list);
    return list;
  }

  addColumn(list: StoredList, input: Partial<ColumnDefinition> & { name: string }): ColumnDefinition {
    if (!input.name?.trim()) throw new GraphModelError(400, 'invalidRequest', 'name is required.');
    let name = input.name;
    // SharePoint gives a column named like a built-in field a suffixed internal name.
    if (BUILT_IN_FIELDS.has(name) || name === 'Author' || name === 'Editor') name = `${name}0`;
    if (list.columns.some((c) => c.name.toLowerCase() === name.toLowerCase()))
      throw new GraphModelError(409, 'nameAlreadyExists', `A duplicate field name "${name}" was found.`);
    const column = newColumn({ ...input, name });
    list.columns.push(column);
    return column;
  }

  /** PATCH a column: name, displayName, indexing and the like; the type facet cannot change. */
  updateColumn(list: StoredList, idOrName: string, changes: Partial<ColumnDefinition>): ColumnDefinition {
    const column = list.columns.find((c) => c.id === idOrName || c.name === idOrName);
    if (!column) throw new GraphModelError(404, 'itemNotFound', `Column '${idOrName}' does not exist.`);
    const facets = ['text', 'dateTime', 'choice', 'personOrGroup', 'number', 'boolean', 'hyperlinkOrPicture'] as const;
    const retype = facets.find((f) => changes[f] !== undefined && column[f] === undefined);
    if (retype) throw new GraphModelError(400, 'invalidRequest', `The type of column '${column.name}' cannot be changed to ${retype}.`);
    for (const key of ['displayName', 'indexed', 'hidden', 'required'] as const) if (changes[key] !== undefined) (column as unknown as Record<string, unknown>)[key] = changes[key];
    return column;
  }

  item(list: StoredList, id: string): StoredItem {
    const item = list.items.find((i) => i.id === id);
    if (!item) throw new GraphModelError(404, 'itemNotFound', 'Item not found');
    return item;
  }

  createItem(list: StoredList, fields: Record<string, unknown>): StoredItem {
    const at = nowIso();
    const item: StoredItem = { id: String(list.nextItemId++), guid: randomUUID(), version: 1, createdDateTime: at, lastModifiedDateTime: at, fields: {} };
    item.fields = this.checkedFields(list, fields);
    item.changeSeq = this.nextChange(list);
    list.items.push(item);
    return item;
  }

  updateFields(list: StoredList, id: string, fields: Record<string, unknown>, ifMatch?: string): StoredItem {
    const item = this.item(list, id);
    this.checkPrecondition(item, ifMatch);
    Object.assign(item.fields, this.checkedFields(list, fields));
    item.version += 1;
    item.lastModifiedDateTime = nowIso();
    item.changeSeq = this.nextChange(list);
    return item;
  }

  private nextChange(list: StoredList): number {
    list.changeSeq = (list.changeSeq ?? 0) + 1;
    return list.changeSeq;
  }

  deleteItem(list: StoredList, id: string, ifMatch?: string): void {
    const item = this.item(list, id);
    this.checkPrecondition(item, ifMatch);
    list.items.splice(list.items.indexOf(item), 1);
    (list.deleted ??= []).push({ id, changeSeq: this.nextChange(list) });
  }

  private checkPrecondition(item: StoredItem, ifMatch?: string): void {
    if (!ifMatch || ifMatch === '*') return;
    // Graph accepts the eTag with or without its surrounding quotes.
    const strip = (s: string) => s.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    if (strip(ifMatch) !== strip(etagOf(item)))
      throw new GraphModelError(412, 'resourceModified', 'The resource has been modified since it was last read; the eTag supplied does not match.', 'entityTagDoesNotMatch');
  }

  /** Validates field values against the list's columns, as SharePoint does, and returns what to store. */
  private checkedFields(list: StoredList, fields: Record<string, unknown>): Record<string, unknown> {
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
      throw new GraphModelError(400, 'invalidRequest', 'Invalid request: fields must be an object.');
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (key.includes('@odata.')) continue;
      const lookup = key.endsWith('LookupId') ? key.slice(0, -'LookupId'.length) : undefined;
      const column = list.columns.find((c) => c.name === key) ?? (lookup ? list.columns.find((c) => c.name === lookup && c.personOrGroup) : undefined);
      if (!column) throw new GraphModelError(400, 'invalidRequest', `Field '${key}' is not recognized`);
      if (column.readOnly) throw new GraphModelError(400, 'invalidRequest', `Field '${key}' is read-only`);
      out[column.personOrGroup ? `${column.name}LookupId` : column.name] = this.checkedValue(column, key, value);
    }
    return out;
  }

  private checkedValue(column: ColumnDefinition, key: string, value: unknown): unknown {
    if (value === null) return null;
    const bad = (why: string) => new GraphModelError(400, 'invalidRequest', `Invalid value for field '${key}': ${why}`);
    if (column.text) {
      if (typeof value !== 'string') throw bad('expected a string');
      const max = column.text.allowMultipleLines ? 63_999 : column.text.maxLength ?? 255;
      if (value.length > max) throw bad(`the value is longer than the column's limit of ${max} characters`);
      return value;
    }
    if (column.dateTime) {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw bad('expected an ISO 8601 date');
      return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    if (column.choice) {
      if (typeof value !== 'string') throw bad('expected a string');
      return value;
    }
    if (column.boolean) {
      if (typeof value !== 'boolean') throw bad('expected true or false');
      return value;
    }
    if (column.number) {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad('expected a number');
      return value;
    }
    if (column.personOrGroup) {
      const ids = Array.isArray(value) ? value : [value];
      const parsed = ids.map((v) => Number(v));
      if (parsed.some((n) => !Number.isInteger(n) || n <= 0)) throw bad('expected a user lookup id');
      if (column.personOrGroup.allowMultipleSelection) return parsed;
      if (parsed.length !== 1) throw bad('this column holds one person');
      return String(parsed[0]);
    }
    return value;
  }

  user(idOrUpn: string): StoredUser {
    const wanted = idOrUpn.toLowerCase();
    const user = this.data.users.find((u) => u.id === idOrUpn || u.userPrincipalName.toLowerCase() === wanted);
    if (!user) throw new GraphModelError(404, 'Request_ResourceNotFound', `Resource '${idOrUpn}' does not exist or one of its queried reference-property objects are not present.`);
    return user;
  }

  /** The site's lookup id for a user, adding them to the User Information List as SharePoint does on first use. */
  ensureSiteUser(site: StoredSite, user: StoredUser): number {
    const uil = this.list(site, USER_INFORMATION_LIST);
    const existing = uil.items.find((i) => i.fields.UserName === user.userPrincipalName);
    if (existing) return Number(existing.id);
    const item = this.createItem(uil, { Title: user.displayName, EMail: user.mail, UserName: user.userPrincipalName, Name: `i:0#.f|membership|${user.userPrincipalName}` });
    return Number(item.id);
  }

  siteUser(site: StoredSite, lookupId: number): { LookupId: number; LookupValue: string; Email: string } | undefined {
    const uil = this.list(site, USER_INFORMATION_LIST);
    const item = uil.items.find((i) => i.id === String(lookupId));
    return item ? { LookupId: lookupId, LookupValue: String(item.fields.Title), Email: String(item.fields.EMail) } : undefined;
  }
}
