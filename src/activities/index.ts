/**
 * Activities, built from a deps factory (samples-typescript style): workers pass the real trial runner and
 * meta-agent, tests pass fakes. Workflows import only the *type* of the result (see workflows/activities.ts).
 */
import { storeCache } from '../store/store';
import type { Activities } from '../workflows/types';
import type { ActivityDeps } from './ports';
import { createPrepare } from './prepare';
import { createProposeCandidate } from './propose';
import { createStoreActivities } from './store-activities';
import { createRunTrial } from './trial';

export function createActivities(deps: ActivityDeps): Activities {
  const storeFor = deps.storeFor ?? storeCache();
  return {
    prepareCampaign: createPrepare(deps, storeFor),
    runTrial: createRunTrial(deps, storeFor),
    proposeCandidate: createProposeCandidate(deps, storeFor),
    ...createStoreActivities(storeFor),
  };
}
