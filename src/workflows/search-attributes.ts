/**
 * Custom search attributes (register them on the server: `temporal server start-dev --search-attribute
 * AutoAgentCampaign=Keyword --search-attribute AutoAgentBestScore=Double --search-attribute
 * AutoAgentGeneration=Int`). Upserting an unregistered one fails the workflow task, so only the names the
 * worker found registered (PreparedCampaign.searchAttributes) are ever upserted.
 */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertSearchAttributes } from '@temporalio/workflow';

const CAMPAIGN_KEY = defineSearchAttributeKey('AutoAgentCampaign', SearchAttributeType.KEYWORD);
const BEST_SCORE_KEY = defineSearchAttributeKey('AutoAgentBestScore', SearchAttributeType.DOUBLE);
const GENERATION_KEY = defineSearchAttributeKey('AutoAgentGeneration', SearchAttributeType.INT);
export const SEARCH_ATTRIBUTE_KEYS = [CAMPAIGN_KEY, BEST_SCORE_KEY, GENERATION_KEY];

export function upsertCampaignAttributes(
  available: readonly string[],
  values: { campaign?: string; bestScore?: number | null; generation?: number },
): void {
  const pairs: SearchAttributeUpdatePair[] = [];
  if (values.campaign !== undefined) pairs.push({ key: CAMPAIGN_KEY, value: values.campaign });
  if (values.bestScore !== undefined && values.bestScore !== null)
    pairs.push({ key: BEST_SCORE_KEY, value: values.bestScore });
  if (values.generation !== undefined) pairs.push({ key: GENERATION_KEY, value: values.generation });
  const usable = pairs.filter((p) => available.includes(p.key.name));
  if (usable.length > 0) upsertSearchAttributes(usable);
}
