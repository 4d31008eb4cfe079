/* Report client: the lineage tree (parent → child) as nested lists: verdict, score delta vs parent, and
 * the meta-agent's rationale (collapsed). A merge sits under the parent it was tested against and names
 * both parents. Clicking a candidate selects it. */
'use strict';
(() => {
  const AA = window.AA;
  const { el } = AA;

  function node(data, c, kids, onSelect) {
    const s = data.summary;
    const tags = [c.id === s.bestId ? '★ best' : null, c.id === s.seedId ? 'seed' : null].filter(Boolean).join(' · ');
    const deltaCls = c.delta > 0 ? 'up' : c.delta < 0 ? 'down' : '';
    const head = el('div', { class: `node status-${c.status}`, 'data-id': c.id }, [
      el('button', { class: 'cand', text: AA.short(c.id), title: c.id, onclick: () => onSelect(c.id) }),
      el('span', { class: 'badge', text: c.status === 'evaluated' ? 'accepted' : c.status }),
      el('span', { class: 'gen', text: `gen ${c.generation}` }),
      c.secondParentId
        ? el('span', {
            class: 'merge',
            title: `merge of ${c.parentId} and ${c.secondParentId}`,
            text: `merge of ${AA.short(c.parentId)} + ${AA.short(c.secondParentId)}`,
          })
        : null,
      el('span', { class: 'train', text: `train ${AA.score(c.train)}` }),
      el('span', { class: `delta ${deltaCls}`, text: `Δ ${AA.signed(c.delta)}` }),
      c.holdout === null ? null : el('span', { class: 'holdout', text: `holdout ${AA.score(c.holdout)}` }),
      tags ? el('span', { class: 'tag', text: tags }) : null,
      el('span', { class: 'verdict', text: c.verdict }),
    ]);
    const why = c.rationale
      ? el('details', { class: 'rationale' }, [el('summary', { text: 'rationale' }), el('p', { text: c.rationale })])
      : null;
    const children = (kids[c.id] || []).map((k) => node(data, k, kids, onSelect));
    return el('li', {}, [head, why, children.length ? el('ul', {}, children) : null]);
  }

  AA.renderTree = (data, onSelect) => {
    const ids = new Set(data.candidates.map((c) => c.id));
    const kids = {};
    const roots = [];
    for (const c of data.candidates) {
      if (c.parentId !== null && ids.has(c.parentId)) (kids[c.parentId] = kids[c.parentId] || []).push(c);
      else roots.push(c);
    }
    const root = AA.clear(document.getElementById('aa-tree'));
    if (roots.length === 0) root.append(el('p', { class: 'muted', text: 'no candidates yet' }));
    else
      root.append(
        el(
          'ul',
          { class: 'tree' },
          roots.map((c) => node(data, c, kids, onSelect)),
        ),
      );
  };

  AA.markSelected = (id) => {
    for (const n of document.querySelectorAll('.node.selected, th.selected, .pareto-row.selected, .pt.selected'))
      n.classList.remove('selected');
    for (const n of document.querySelectorAll(`[data-id="${CSS.escape(id)}"]`)) n.classList.add('selected');
  };
})();
