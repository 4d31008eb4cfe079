/* Report client: uPlot charts. Score per generation: every candidate is a point (accepted / rejected /
 * running on train, and holdout), spread within its generation so siblings do not overlap, plus the
 * best-so-far line. Cost and trials over time: cumulative, two y axes. */
'use strict';
(() => {
  const AA = window.AA;
  let charts = [];

  const pointsOnly = (label, color, size) => ({
    label,
    stroke: color,
    fill: color,
    width: 0,
    paths: () => null,
    points: { show: true, size, fill: color, stroke: color },
    value: (u, v) => AA.score(v),
  });

  /** Candidates in generation order, each with an x inside its generation band [g-0.3, g+0.3]. */
  function placed(data) {
    const scored = data.candidates
      .filter((c) => c.train !== null)
      .sort((a, b) => a.generation - b.generation || (a.createdAt < b.createdAt ? -1 : 1));
    const perGen = {};
    for (const c of scored) (perGen[c.generation] = perGen[c.generation] || []).push(c);
    return scored.map((c) => {
      const sibs = perGen[c.generation];
      const i = sibs.indexOf(c);
      return { c, x: c.generation + (sibs.length === 1 ? 0 : -0.3 + (0.6 * i) / (sibs.length - 1)) };
    });
  }

  function scoreData(data) {
    const pts = placed(data);
    const pick = (status) => pts.map((p) => (p.c.status === status ? p.c.train : null));
    let best = null;
    const bestLine = pts.map((p) => {
      if (p.c.status === 'evaluated' && (best === null || p.c.train > best)) best = p.c.train;
      return best;
    });
    return [
      pts.map((p) => p.x),
      pick('evaluated'),
      pick('rejected'),
      pick('running'),
      pts.map((p) => p.c.holdout),
      bestLine,
    ];
  }

  function scoreChart(data, node) {
    const opts = {
      width: Math.max(320, node.clientWidth),
      height: 260,
      title: 'Score per generation',
      scales: {
        x: { time: false, range: (u, min, max) => [Math.floor(min) - 0.5, Math.ceil(max) + 0.5] },
        y: { range: [0, 1] },
      },
      series: [
        { label: 'generation', value: (u, v) => (v === null ? '—' : String(Math.round(v))) },
        pointsOnly('accepted (train)', '#1a7f37', 9),
        pointsOnly('rejected (train)', '#cf222e', 7),
        pointsOnly('running (train)', '#8c959f', 7),
        pointsOnly('holdout', '#0969da', 11),
        {
          label: 'best so far',
          stroke: '#1a7f37',
          width: 2,
          spanGaps: true,
          paths: uPlot.paths.stepped({ align: 1 }),
          value: (u, v) => AA.score(v),
        },
      ],
      axes: [
        {
          label: 'generation',
          incrs: [1],
          values: (u, vals) => vals.map((v) => (Number.isInteger(v) ? String(v) : '')),
        },
        { label: 'mean reward' },
      ],
    };
    return new uPlot(opts, scoreData(data), node);
  }

  function timeChart(data, node) {
    const opts = {
      width: Math.max(320, node.clientWidth),
      height: 220,
      title: 'Spend and trials over time',
      scales: { x: { time: true }, usd: {}, n: {} },
      series: [
        {},
        { label: 'spend $', scale: 'usd', stroke: '#bf8700', width: 2, value: (u, v) => AA.usd(v) },
        { label: 'trials', scale: 'n', stroke: '#0969da', width: 2, value: (u, v) => AA.int(v) },
      ],
      axes: [
        {},
        { scale: 'usd', label: 'USD', values: (u, vals) => vals.map((v) => '$' + v) },
        { scale: 'n', side: 1, label: 'trials', grid: { show: false } },
      ],
    };
    return new uPlot(opts, [data.time.t, data.time.costUsd, data.time.trials], node);
  }

  AA.renderCharts = (data) => {
    for (const c of charts) c.destroy();
    const score = AA.clear(document.getElementById('aa-score-chart'));
    const time = AA.clear(document.getElementById('aa-time-chart'));
    charts = [scoreChart(data, score)];
    if (data.time.t.length > 0) charts.push(timeChart(data, time));
    else time.append(AA.el('p', { class: 'muted', text: 'no trials yet' }));
    AA.charts = charts;
  };
})();
