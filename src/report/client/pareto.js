/* Report client: the Pareto view — mean train score against cost per task (USD) and tokens per task, one
 * SVG scatter each plus a table. Non-dominated candidates (nobody else at least as good and as cheap) are
 * filled and joined by the frontier's step line; the others are hollow. Clicking a point or row selects. */
'use strict';
(() => {
  const AA = window.AA;
  const { el } = AA;
  const NS = 'http://www.w3.org/2000/svg';
  const W = 420;
  const H = 240;
  const PAD = { l: 48, r: 12, t: 22, b: 34 };

  const svg = (tag, attrs, children) => {
    const n = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {}))
      if (k === 'text') n.textContent = String(v);
      else n.setAttribute(k, String(v));
    for (const c of children || []) if (c) n.append(c);
    return n;
  };

  function scatter(points, key, front, title, fmt, onSelect) {
    const xs = points.map((p) => p[key]);
    const maxX = Math.max(...xs, 0) || 1;
    const x = (v) => PAD.l + ((W - PAD.l - PAD.r) * v) / (maxX * 1.05);
    const y = (v) => H - PAD.b - (H - PAD.t - PAD.b) * v;
    const onFront = points.filter((p) => p[front]).sort((a, b) => a[key] - b[key]);
    const line = onFront
      .map(
        (p, i) =>
          `${i === 0 ? 'M' : 'H'}${x(p[key]).toFixed(1)}${i === 0 ? ` ${y(p.train).toFixed(1)}` : ` V${y(p.train).toFixed(1)}`}`,
      )
      .join(' ');
    const ticks = [0, 0.5, 1].map((v) =>
      svg('text', { x: PAD.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick', text: v.toFixed(1) }),
    );
    const xticks = [0, maxX / 2, maxX].map((v) =>
      svg('text', { x: x(v), y: H - PAD.b + 14, 'text-anchor': 'middle', class: 'tick', text: fmt(v) }),
    );
    const dots = points.map((p) =>
      svg(
        'circle',
        {
          cx: x(p[key]).toFixed(1),
          cy: y(p.train).toFixed(1),
          r: 5,
          'data-id': p.candidateId,
          class: `pt ${p[front] ? 'front' : 'dominated'} status-${p.status}`,
        },
        [
          svg('title', {
            text: `${p.candidateId}: score ${AA.score(p.train)}, ${fmt(p[key])} per task${p[front] ? ' (non-dominated)' : ''}`,
          }),
        ],
      ),
    );
    for (const d of dots) d.addEventListener('click', () => onSelect(d.getAttribute('data-id')));
    return svg('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, class: 'pareto-plot', 'data-axis': key }, [
      svg('text', { x: PAD.l, y: 14, class: 'title', text: title }),
      svg('line', { x1: PAD.l, y1: y(0), x2: W - PAD.r, y2: y(0), class: 'axis' }),
      svg('line', { x1: PAD.l, y1: y(0), x2: PAD.l, y2: y(1), class: 'axis' }),
      ...ticks,
      ...xticks,
      onFront.length > 1 ? svg('path', { d: line, class: 'frontline' }) : null,
      ...dots,
    ]);
  }

  function table(points, onSelect) {
    const head = el(
      'tr',
      {},
      ['candidate', 'status', 'train', '$ / task', 'tokens / task', 'non-dominated'].map((h) => el('th', { text: h })),
    );
    const rows = [...points]
      .sort((a, b) => b.train - a.train || a.costPerTask - b.costPerTask)
      .map((p) => {
        const marks = [p.onCostFront ? 'cost' : null, p.onTokensFront ? 'tokens' : null].filter(Boolean).join(' · ');
        return el(
          'tr',
          {
            class: `pareto-row${p.onCostFront || p.onTokensFront ? ' front' : ''}`,
            'data-id': p.candidateId,
            onclick: () => onSelect(p.candidateId),
          },
          [
            el('td', {}, [el('button', { class: 'cand', text: AA.short(p.candidateId), title: p.candidateId })]),
            el('td', { text: p.status === 'evaluated' ? 'accepted' : p.status }),
            el('td', { text: AA.score(p.train) }),
            el('td', { text: AA.usd(p.costPerTask) }),
            el('td', { text: AA.int(p.tokensPerTask) }),
            el('td', { class: 'marks', text: marks || '—' }),
          ],
        );
      });
    return el('table', { class: 'trials pareto' }, [el('thead', {}, [head]), el('tbody', {}, rows)]);
  }

  AA.renderPareto = (data, onSelect) => {
    const root = AA.clear(document.getElementById('aa-pareto'));
    const points = data.pareto || [];
    if (points.length === 0) return root.append(el('p', { class: 'muted', text: 'no scored candidates yet' }));
    root.append(
      el('div', { class: 'pareto-plots' }, [
        scatter(points, 'costPerTask', 'onCostFront', 'score vs USD per task', AA.usd, onSelect),
        scatter(points, 'tokensPerTask', 'onTokensFront', 'score vs tokens per task', AA.int, onSelect),
      ]),
      table(points, onSelect),
    );
  };
})();
