/**
 * PlanPulse's architecture, written as data and enforced by `npm test` (see README, Architecture). Each rule fails
 * with its own name. A feature lives in one folder; features meet in the app kernel; each outside system is spoken
 * in exactly one adapter folder; local mode is wired only by the composition root.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain is the product\'s rules: it imports nothing outside src/domain but the working-days calendar.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', '^node_modules/date-holidays/'] },
    },
    {
      name: 'only-sharepoint-adapter-speaks-graph',
      comment: 'Microsoft Graph is spoken in src/adapters/sharepoint alone.',
      severity: 'error',
      from: { pathNot: '^src/adapters/sharepoint/' },
      to: { path: '^node_modules/@microsoft/microsoft-graph-client/' },
    },
    {
      name: 'only-teams-adapters-speak-teams',
      comment: 'botbuilder and the Microsoft 365 Agents SDK are spoken in src/adapters/teams-* alone, so either can be replaced by replacing its folder.',
      severity: 'error',
      from: { pathNot: '^src/adapters/teams-[^/]+/' },
      to: { path: ['^node_modules/botbuilder', '^node_modules/botframework-', '^node_modules/@microsoft/agents-'] },
    },
    {
      name: 'only-state-adapter-speaks-blob',
      comment: 'Azure Blob Storage is spoken in src/adapters/state alone.',
      severity: 'error',
      from: { pathNot: '^src/adapters/state/' },
      to: { path: '^node_modules/@azure/storage-blob/' },
    },
    {
      name: 'azure-identity-only-in-adapters',
      comment: 'Credentials are built by the adapters that use them.',
      severity: 'error',
      from: { pathNot: ['^src/adapters/(sharepoint|state)/'] },
      to: { path: '^node_modules/@azure/identity/' },
    },
    {
      name: 'features-do-not-import-each-other',
      comment: 'Features meet through the app kernel\'s ports (src/app), never directly.',
      severity: 'error',
      from: { path: '^src/features/([^/]+)/' },
      to: { path: '^src/features/', pathNot: '^src/features/$1/' },
    },
    {
      name: 'only-composition-root-imports-local',
      comment: 'The Graph emulator, demo data and Playground (src/local) are wired by the composition root (src/main) alone.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/main/', '^src/local/'] },
      to: { path: '^src/local/' },
    },
    {
      name: 'kernel-knows-no-feature-or-adapter',
      comment: 'src/app defines the ports; it never reaches for what plugs into them.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^src/(features|adapters|interactions|main|cli|local)/' },
    },
    {
      name: 'adapters-serve-the-kernel',
      comment: 'Adapters implement ports; they never call features, the composition root or the CLI.',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^src/(features|main|cli)/' },
    },
    {
      name: 'interactions-know-no-feature',
      comment: 'The verb router and command table are built from what features register, not from importing them.',
      severity: 'error',
      from: { path: '^src/interactions/' },
      to: { path: '^src/(features|adapters|main|cli|local)/' },
    },
    {
      name: 'features-use-ports-not-adapters',
      comment: 'A feature reaches the outside world through the kernel\'s ports only.',
      severity: 'error',
      from: { path: '^src/features/' },
      to: { path: '^src/(adapters|interactions|main|cli|local)/' },
    },
    {
      name: 'no-circular',
      comment: 'No module depends on itself through others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
