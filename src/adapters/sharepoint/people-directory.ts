import type { Client } from '@microsoft/microsoft-graph-client';
import type { PeopleDirectory } from '../../app/ports.js';
import type { Person } from '../../domain/task.js';
import { isGraphError } from './graph-client.js';

/** Managers from Entra ID through Graph (`/users/{id}/manager`, which needs User.Read.All). */
export class GraphPeopleDirectory implements PeopleDirectory {
  constructor(private readonly client: Client) {}

  async managerOf(aadObjectId: string): Promise<Person | undefined> {
    try {
      const m = (await this.client.api(`/users/${encodeURIComponent(aadObjectId)}/manager`).select('id,displayName,mail').get()) as { id: string; displayName: string; mail?: string };
      return { aadObjectId: m.id, displayName: m.displayName, email: m.mail };
    } catch (e) {
      if (isGraphError(e, 404)) return undefined;
      throw e;
    }
  }
}
