/**
 * The composition root: the real parts behind the activity ports — Docker trials with the harness agent,
 * the meta-agent proposer, campaign.yaml plans — for `autoagent run` and `autoagent worker`.
 * Tests build the same workers with fakes for the two expensive ports instead.
 */
import type { Connection } from '@temporalio/client';
import type { ActivityDeps } from '../activities/ports';
import { planFromConfig } from '../activities/plan-from-config';
import { realTrialRunner } from '../activities/real-trial';
import { createMetaProposer } from '../activities/meta-proposer';
import { DockerSandboxProvider } from '../sandbox/provider';
import { registeredSearchAttributes } from '../temporal/search-attributes';
import { storeCache } from '../store/store';

export interface ProductionParts {
  deps: ActivityDeps;
  reapOrphans: () => Promise<number>;
}

export function productionParts(
  opts: { connection?: Pick<Connection, 'operatorService'>; namespace?: string } = {},
): ProductionParts {
  const provider = new DockerSandboxProvider();
  const storeFor = storeCache(); // the activities and the meta-agent's context reader share one handle per campaign
  const { connection, namespace } = opts;
  return {
    deps: {
      runTrial: realTrialRunner({ provider }),
      propose: createMetaProposer({ provider, storeFor }),
      storeFor,
      loadPlan: (configPath) => planFromConfig(configPath),
      ...(connection ? { searchAttributes: () => registeredSearchAttributes(connection, namespace) } : {}),
    },
    reapOrphans: () => provider.reapOrphans(),
  };
}
