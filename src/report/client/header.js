/* Report client: the header cards — best train/holdout and their gap, improvement over the seed, spend
 * vs budget, trials and pace, phase (plus the workflow's own status in the live view). */
'use strict';
(() => {
  const { el } = window.AA;
  const AA = window.AA;

  const card = (id, label, value, sub, cls) =>
    el('div', { class: 'card ' + (cls || ''), id }, [
      el('div', { class: 'label', text: label }),
      el('div', { class: 'value', text: value }),
      el('div', { class: 'sub', text: sub || '' }),
    ]);

  function spendCard(s) {
    const b = s.budget || {};
    const sub = [
      b.usd !== undefined ? `of ${AA.usd(b.usd)} (${Math.round((100 * s.spendUsd) / b.usd)}%)` : 'no $ budget',
      `${AA.int(s.tokens)} tokens`,
    ];
    return card(
      'card-spend',
      'Spend',
      AA.usd(s.spendUsd),
      sub.join(' · '),
      b.usd !== undefined && s.spendUsd > 0.9 * b.usd ? 'warn' : '',
    );
  }

  function statusLine(status) {
    if (!status || typeof status !== 'object') return '';
    const parts = [`workflow: ${status.phase || '?'}`];
    if (status.paused) parts.push('paused');
    if (status.waitingForRetry) parts.push('waiting for retry');
    if (status.lastError) parts.push(`last error: ${status.lastError}`);
    return parts.join(' · ');
  }

  AA.renderHeader = (data) => {
    const s = data.summary;
    const gapWarn = s.gap !== null && s.gap > 0.1 ? 'warn' : '';
    const trialsBudget = s.budget && s.budget.trials !== undefined ? ` / ${AA.int(s.budget.trials)}` : '';
    const improved =
      s.improvementTrain === null ? 'no seed yet' : s.improvementTrain > 0 ? 'improved' : 'no improvement';
    const cards = [
      card(
        'card-best-train',
        'Best train',
        AA.score(s.bestTrain),
        s.bestId ? `candidate ${AA.short(s.bestId)}` : 'not scored yet',
      ),
      card(
        'card-best-holdout',
        'Best holdout',
        AA.score(s.bestHoldout),
        s.bestHoldout === null ? 'holdout not run yet' : 'same candidate, held-out tasks',
      ),
      card(
        'card-gap',
        'Overfit gap (train − holdout)',
        AA.signed(s.gap),
        gapWarn ? 'large gap: likely overfitting train' : '',
        gapWarn,
      ),
      card(
        'card-improvement',
        'vs seed (train / holdout)',
        `${AA.signed(s.improvementTrain)} / ${AA.signed(s.improvementHoldout)}`,
        `${improved}: seed ${AA.score(s.seedTrain)} / ${AA.score(s.seedHoldout)}`,
        s.improvementTrain > 0 ? 'good' : '',
      ),
      spendCard(s),
      card(
        'card-trials',
        'Trials',
        AA.int(s.trialsDone) + trialsBudget,
        s.trialsPerMin === null ? '' : `${s.trialsPerMin.toFixed(1)} trials/min`,
      ),
      card(
        'card-phase',
        'Phase',
        `${s.phase} · gen ${s.generation}`,
        s.stopReason ? `stopped: ${s.stopReason}` : statusLine(data.status),
      ),
      card(
        'card-candidates',
        'Candidates',
        `${s.counts.evaluated} accepted`,
        `${s.counts.rejected} rejected · ${s.counts.invalid} invalid` +
          (s.counts.running ? ` · ${s.counts.running} running` : ''),
      ),
    ];
    // Tasks with identical content (e.g. a holdout task copied from a train one): each runs its own trials,
    // but a holdout score over copies of train tasks says little about generalisation.
    const identical = (data.tasks && data.tasks.identical) || [];
    if (identical.length > 0) {
      cards.push(
        card(
          'card-identical-tasks',
          'Identical tasks',
          `${identical.length} group${identical.length > 1 ? 's' : ''}`,
          identical.map((g) => g.join(' = ')).join(' · '),
          'warn',
        ),
      );
    }
    // Candidates the reward-tampering screen rejected: said up front, with the newest reason (verdicts start so).
    const flagged = (data.candidates || []).filter(
      (c) => typeof c.verdict === 'string' && c.verdict.startsWith('reward tampering'),
    );
    if (flagged.length > 0) {
      cards.push(
        card(
          'card-tampering',
          'Rejected for reward tampering',
          `${flagged.length} candidate${flagged.length > 1 ? 's' : ''}`,
          `${AA.short(flagged[flagged.length - 1].id)}: ${flagged[flagged.length - 1].verdict}`,
          'warn',
        ),
      );
    }
    AA.clear(document.getElementById('aa-cards')).append(...cards);
    document.getElementById('aa-title').textContent = `Campaign ${data.campaign}`;
    document.getElementById('aa-generated').textContent = `data as of ${new Date(data.generatedAt).toLocaleString()}`;
  };
})();
