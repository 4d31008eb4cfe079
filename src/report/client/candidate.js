/* Report client: the selected candidate — verdict, rationale, its harness diff against its parent
 * (rendered by diff2html, which escapes the diff text) and its trials; a trial row opens the trajectory. */
'use strict';
(() => {
  const AA = window.AA;
  const { el } = AA;
  const MAX_ROWS = 1000;

  function diffView(c) {
    if (!c.diff)
      return el('p', {
        class: 'muted',
        text: c.parentId ? 'no diff stored for this candidate' : 'the seed harness: no parent to diff against',
      });
    if (!c.diff.trim()) return el('p', { class: 'muted', text: 'identical to its parent' });
    const box = el('div', { class: 'diff' });
    box.innerHTML = Diff2Html.html(c.diff, { drawFileList: true, matching: 'lines', outputFormat: 'line-by-line' });
    return box;
  }

  function trialsTable(data, c, onOpen) {
    const trials = data.trials.filter((t) => t.candidateId === c.id);
    if (trials.length === 0) return el('p', { class: 'muted', text: 'no trials' });
    const head = el(
      'tr',
      {},
      ['task', 'split', 'repeat', 'reward', 'stop', 'turns', 'cost', 'time', 'error'].map((h) => el('th', { text: h })),
    );
    const rows = trials.slice(0, MAX_ROWS).map((t) =>
      el(
        'tr',
        {
          class: 'trial',
          'data-trial': t.id,
          tabindex: 0,
          title: t.hasTrajectory ? 'open the trajectory' : 'no trajectory stored',
          onclick: () => onOpen(t.id),
          onkeydown: (e) => {
            if (e.key === 'Enter') onOpen(t.id);
          },
        },
        [
          el('td', { text: t.task }),
          el('td', { text: t.split }),
          el('td', { text: t.repeat }),
          el('td', { class: 'reward', style: `background:${AA.rewardColor(t.reward)}`, text: t.reward.toFixed(2) }),
          el('td', { text: t.stopReason }),
          el('td', { text: t.turns }),
          el('td', { text: AA.usd(t.costUsd) }),
          el('td', { text: AA.duration(t.durationMs) }),
          el('td', { class: 'error', text: t.error || '' }),
        ],
      ),
    );
    const more =
      trials.length > MAX_ROWS
        ? el('p', { class: 'muted', text: `showing ${MAX_ROWS} of ${trials.length} trials` })
        : null;
    return el('div', {}, [el('table', { class: 'trials' }, [el('thead', {}, [head]), el('tbody', {}, rows)]), more]);
  }

  /** The other reward.json metrics (multi-metric tasks), mean over train trials; nothing for plain rewards. */
  function metricsTable(c) {
    const names = Object.keys(c.metrics || {});
    if (names.length === 0) return null;
    return el('div', { class: 'metrics' }, [
      el('h4', { text: 'Metrics (mean over train trials)' }),
      el('table', { class: 'trials' }, [
        el(
          'tbody',
          {},
          names.map((n) => el('tr', {}, [el('td', { text: n }), el('td', { text: c.metrics[n].toFixed(3) })])),
        ),
      ]),
    ]);
  }

  AA.renderCandidate = (data, id, onOpen) => {
    const root = AA.clear(document.getElementById('aa-candidate'));
    const c = AA.candidateById(data, id);
    if (!c) return root.append(el('p', { class: 'muted', text: 'click a candidate in the tree or the heatmap' }));
    root.append(
      el('h3', { text: `Candidate ${c.id}` }),
      el('p', {
        class: 'facts',
        text: `gen ${c.generation} · ${c.status === 'evaluated' ? 'accepted' : c.status} · train ${AA.score(c.train)} (Δ ${AA.signed(c.delta)} vs parent) · holdout ${AA.score(c.holdout)} · ${AA.usd(c.costUsd)} · parent ${c.parentId ? AA.short(c.parentId) : 'none'}${c.secondParentId ? ` + ${AA.short(c.secondParentId)} (merge)` : ''}`,
      }),
      el('p', { class: 'verdict', text: `verdict: ${c.verdict}` }),
      c.rationale ? el('blockquote', { class: 'rationale', text: c.rationale }) : null,
      metricsTable(c),
      el('h4', { text: 'Harness diff vs parent' }),
      diffView(c),
      el('h4', { text: `Trials (${c.trials})` }),
      trialsTable(data, c, onOpen),
    );
  };
})();
