/*
 * Report client, shared helpers: DOM building and number formatting. Data text is only ever set through
 * textContent (never innerHTML), so rationales, commands and outputs cannot inject markup. Plain browser
 * JS, no build step: report/assets.ts concatenates these files into the page in a fixed order.
 */
'use strict';
(() => {
  const AA = (window.AA = window.AA || {});

  /** el('div', {class: 'x', text: 'hi', onclick: fn}, [children]) */
  AA.el = (tag, attrs, children) => {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') n.textContent = String(v);
      else if (k === 'class') n.className = v;
      else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
      else n.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children || [])
      if (c !== null && c !== undefined) n.append(typeof c === 'string' ? document.createTextNode(c) : c);
    return n;
  };

  AA.score = (v) => (v === null || v === undefined ? '—' : v.toFixed(3));
  AA.signed = (v) => (v === null || v === undefined ? '—' : (v > 0 ? '+' : v < 0 ? '-' : '±') + Math.abs(v).toFixed(3));
  AA.usd = (v) =>
    v === null || v === undefined ? '—' : '$' + (v !== 0 && Math.abs(v) < 0.01 ? v.toFixed(4) : v.toFixed(2));
  AA.int = (v) => (v === null || v === undefined ? '—' : Math.round(v).toLocaleString('en-US'));
  AA.short = (id) => (id && id.length > 12 ? id.slice(0, 12) : id || '—');
  AA.duration = (ms) =>
    ms < 1000 ? ms + ' ms' : ms < 60000 ? (ms / 1000).toFixed(1) + ' s' : (ms / 60000).toFixed(1) + ' min';
  AA.clear = (node) => {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  };

  /** Red (0) → amber → green (1), for rewards. */
  AA.rewardColor = (v) => `hsl(${Math.round(120 * Math.max(0, Math.min(1, v)))}, 65%, ${v === null ? 90 : 78}%)`;

  AA.candidateById = (data, id) => data.candidates.find((c) => c.id === id) || null;
})();
