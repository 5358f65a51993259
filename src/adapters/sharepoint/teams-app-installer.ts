import type { Client } from '@microsoft/microsoft-graph-client';
import type { InstallOutcome, TeamsAppInstaller } from '../../app/ports.js';
import { isGraphError } from './graph-client.js';

const PERMISSION = 'TeamsAppInstallation.ReadWriteSelfForUser.All';

const graphMessage = (e: unknown) => (e as { message?: string }).message ?? String(e);
/** Graph's 403 for an app without the permission, as opposed to a person's app policy blocking the app. */
const missingPermission = (e: unknown) => isGraphError(e, 403) && /Missing role permissions|Authorization_RequestDenied|Insufficient privileges/i.test(`${(e as { code?: string }).code ?? ''} ${graphMessage(e)}`);

/**
 * Installs PlanPulse in a person's personal Teams scope through Graph and finds the 1:1 chat it opens. The app is
 * found in the organisation's catalogue by its manifest id (externalId), or given as `catalogAppId` when the app
 * registration may not read the catalogue (AppCatalog.Read.All).
 */
export class GraphTeamsAppInstaller implements TeamsAppInstaller {
  private found?: string;

  constructor(
    private readonly client: Client,
    private readonly manifestId: string,
    private readonly catalogAppId?: string,
  ) {}

  /** The app's catalogue id; remembered once found (an app uploaded later is found on a later try). */
  private async catalogApp(): Promise<string | undefined> {
    if (this.catalogAppId) return this.catalogAppId;
    if (!this.found) {
      const apps = (await this.client.api('/appCatalogs/teamsApps').filter(`externalId eq '${this.manifestId.replace(/'/g, "''")}'`).get()) as { value: { id: string }[] };
      this.found = apps.value[0]?.id;
    }
    return this.found;
  }

  private async installation(aadObjectId: string): Promise<string | undefined> {
    const found = (await this.client
      .api(`/users/${encodeURIComponent(aadObjectId)}/teamwork/installedApps`)
      .expand('teamsApp')
      .filter(`teamsApp/externalId eq '${this.manifestId.replace(/'/g, "''")}'`)
      .get()) as { value: { id: string }[] };
    return found.value[0]?.id;
  }

  async ensureInstalled(aadObjectId: string): Promise<InstallOutcome> {
    try {
      let user: { userType?: string };
      try {
        user = (await this.client.api(`/users/${encodeURIComponent(aadObjectId)}`).select('id,userType').get()) as { userType?: string };
      } catch (e) {
        if (isGraphError(e, 404)) return { kind: 'outside the organisation', detail: "not found in the organisation's directory" };
        throw e;
      }
      if (user.userType === 'Guest') return { kind: 'outside the organisation', detail: 'a guest from another organisation; PlanPulse does not install itself for guests' };
      let installed = await this.installation(aadObjectId);
      const already = installed !== undefined;
      if (!installed) {
        const catalogId = await this.catalogApp();
        if (!catalogId) return { kind: 'not in the catalogue', detail: "PlanPulse is not in the organisation's Teams app catalogue" };
        try {
          await this.client.api(`/users/${encodeURIComponent(aadObjectId)}/teamwork/installedApps`).post({ 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${catalogId}` });
        } catch (e) {
          if (isGraphError(e, 409)) return this.chatOf(aadObjectId, await this.installation(aadObjectId), 'already installed');
          if (missingPermission(e)) return { kind: 'no permission', detail: `the app registration lacks ${PERMISSION}` };
          if (isGraphError(e, 403)) return { kind: 'blocked by policy', detail: "their Teams app permission policy blocks PlanPulse" };
          if (isGraphError(e, 404)) return { kind: 'not in the catalogue', detail: "PlanPulse is not in the organisation's Teams app catalogue" };
          throw e;
        }
        // Graph may show a new installation only a moment after it answers.
        for (let tries = 0; !installed && tries < 3; tries += 1) {
          installed = await this.installation(aadObjectId);
          if (!installed) await new Promise((r) => setTimeout(r, 1000));
        }
      }
      return this.chatOf(aadObjectId, installed, already ? 'already installed' : 'newly installed');
    } catch (e) {
      if (missingPermission(e)) return { kind: 'no permission', detail: `the app registration lacks a Graph permission it needs (${PERMISSION} and User.Read.All)` };
      return { kind: 'failed', detail: graphMessage(e).slice(0, 200) };
    }
  }

  private async chatOf(aadObjectId: string, installationId: string | undefined, kind: 'newly installed' | 'already installed'): Promise<InstallOutcome> {
    if (!installationId) return { kind: 'failed', detail: 'installed, but the installation could not be found yet (tried again on the next run)' };
    try {
      const chat = (await this.client.api(`/users/${encodeURIComponent(aadObjectId)}/teamwork/installedApps/${encodeURIComponent(installationId)}/chat`).get()) as { id: string };
      return { kind, chatId: chat.id };
    } catch (e) {
      // The chat is made as the app is installed; a moment later, or without a Teams licence, it may not be there.
      if (isGraphError(e, 404)) return { kind: 'failed', detail: 'installed, but its chat is not ready yet (tried again on the next run)' };
      throw e;
    }
  }

  async check(sampleAadObjectId: string): Promise<{ ok: boolean; detail: string; fix?: string }> {
    try {
      await this.installation(sampleAadObjectId);
    } catch (e) {
      if (isGraphError(e, 403) || isGraphError(e, 401))
        return { ok: false, detail: `Graph refused to list a person's installed Teams apps (${graphMessage(e).slice(0, 120)})`, fix: `Grant the app registration the Graph application permission ${PERMISSION} and give admin consent.` };
      throw e;
    }
    let catalogId: string | undefined;
    try {
      catalogId = await this.catalogApp();
    } catch (e) {
      if (isGraphError(e, 403)) return { ok: false, detail: 'the app catalogue cannot be read to find PlanPulse', fix: 'Set reach.catalogAppId in the plan config to the app id shown in the Teams admin center, or grant AppCatalog.Read.All.' };
      throw e;
    }
    if (!catalogId) return { ok: false, detail: `no app with manifest id ${this.manifestId} in the organisation's Teams app catalogue`, fix: 'Upload the app package (npm run package) in the Teams admin center > Manage apps, and allow it in the app permission policies.' };
    return { ok: true, detail: `${PERMISSION} granted; PlanPulse is in the catalogue (${catalogId})` };
  }
}
