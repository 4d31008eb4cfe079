/* Report client: task × candidate heatmap of mean rewards; ▲ marks a task the candidate fixed (better than
 * its parent), ▼ one it broke. Train tasks first, then holdout. Column headers select a candidate.
 * Large campaigns show the seed, the best and the latest candidates until "show all" is clicked: a full
 * 250 × 50 table costs about a second of layout. */
'use strict';
(() => {
  const AA = window.AA;
  const { el } = AA;

  const MAX_COLS = 40;
  let showAll = false;

  function columns(data) {
    const all = data.candidates
      .filter((c) => c.status !== 'invalid')
      .sort((a, b) => a.generation - b.generation || (a.createdAt < b.createdAt ? -1 : 1));
    if (showAll || all.length <= MAX_COLS) return { cols: all, hidden: 0 };
    const keep = new Set(all.slice(-MAX_COLS).map((c) => c.id));
    keep.add(data.summary.seedId);
    keep.add(data.summary.bestId);
    const cols = all.filter((c) => keep.has(c.id));
    return { cols, hidden: all.length - cols.length };
  }

  AA.renderHeatmap = (data, onSelect) => {
    const root = AA.clear(document.getElementById('aa-heatmap'));
    const { cols, hidden } = columns(data);
    if (cols.length === 0) return root.append(el('p', { class: 'muted', text: 'no scored candidates yet' }));
    if (hidden > 0) {
      root.append(
        el('p', { class: 'muted' }, [
          `showing the seed, the best and the latest candidates; ${hidden} older ones hidden `,
          el('button', {
            type: 'button',
            id: 'aa-heat-all',
            text: 'show all',
            onclick: () => {
              showAll = true;
              AA.renderHeatmap(data, onSelect);
            },
          }),
        ]),
      );
    }
    const cells = new Map(data.heat.map((h) => [`${h.split}:${h.task}:${h.candidateId}`, h]));
    const header = el('tr', {}, [
      el('th', { text: 'task' }),
      ...cols.map((c) =>
        el(
          'th',
          { class: `col status-${c.status}`, 'data-id': c.id, title: `${c.id} (gen ${c.generation}, ${c.status})` },
          [
            el('button', {
              class: 'cand',
              text: `g${c.generation} ${AA.short(c.id).slice(0, 8)}`,
              onclick: () => onSelect(c.id),
            }),
          ],
        ),
      ),
    ]);
    const rows = [];
    for (const split of ['train', 'holdout']) {
      const tasks = data.tasks[split];
      if (tasks.length === 0) continue;
      rows.push(el('tr', { class: 'split' }, [el('th', { colspan: cols.length + 1, text: `${split} tasks` })]));
      for (const task of tasks) {
        rows.push(
          el('tr', {}, [
            el('th', { class: 'task', text: task }),
            ...cols.map((c) => {
              const h = cells.get(`${split}:${task}:${c.id}`);
              if (!h) return el('td', { class: 'empty' });
              const mark = h.flip > 0 ? ' ▲' : h.flip < 0 ? ' ▼' : '';
              const what = h.flip > 0 ? 'fixed vs parent' : h.flip < 0 ? 'broke vs parent' : 'same as parent';
              return el('td', {
                class: `cell flip${h.flip}`,
                style: `background:${AA.rewardColor(h.mean)}`,
                title: `${task} · ${AA.short(c.id)}: ${h.mean.toFixed(2)} over ${h.n} · ${what}`,
                text: h.mean.toFixed(2) + mark,
              });
            }),
          ]),
        );
      }
    }
    root.append(el('table', { class: 'heat' }, [el('thead', {}, [header]), el('tbody', {}, rows)]));
  };
})();
