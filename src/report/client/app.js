/* Report client, entry point: reads the inline data blob, renders every section, wires selection. In the
 * live view (`autoagent ui`) it polls data.json every few seconds and re-renders when the data changed,
 * keeping the selected candidate and any open trajectory. */
'use strict';
(() => {
  const AA = window.AA;
  const POLL_MS = 3000;
  AA.mode = document.body.dataset.mode || 'report';
  let data = JSON.parse(document.getElementById('aa-data').textContent);
  let selected = null;

  const openTrial = (id) => AA.openTrajectory(data, id);
  function select(id) {
    selected = id;
    AA.renderCandidate(data, id, openTrial);
    AA.markSelected(id);
    if (location.hash !== '#c=' + id) history.replaceState(null, '', '#c=' + id);
  }

  function renderAll() {
    AA.renderHeader(data);
    AA.renderCharts(data);
    AA.renderTree(data, select);
    AA.renderPareto(data, select);
    AA.renderHeatmap(data, (id) => {
      select(id);
      document.getElementById('aa-candidate').scrollIntoView({ behavior: 'smooth' });
    });
    const fromHash = location.hash.startsWith('#c=') ? decodeURIComponent(location.hash.slice(3)) : null;
    const keep = [selected, fromHash, data.summary.bestId].find((id) => id && AA.candidateById(data, id));
    if (keep) select(keep);
    else AA.renderCandidate(data, null, openTrial);
  }

  async function poll() {
    const live = document.getElementById('aa-live');
    try {
      const res = await fetch('data.json', { cache: 'no-cache' });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      const next = await res.json();
      const changed = next.version !== data.version || JSON.stringify(next.status) !== JSON.stringify(data.status);
      data = next;
      if (changed) renderAll();
      live.textContent = `live · updated ${new Date().toLocaleTimeString()}`;
      live.className = 'live ok';
    } catch (err) {
      live.textContent = `live · cannot reach the server (${err.message})`;
      live.className = 'live warn';
    }
  }

  document.getElementById('aa-close').addEventListener('click', AA.closeTrajectory);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') AA.closeTrajectory();
  });
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => AA.renderCharts(data), 200);
  });
  renderAll();
  document.body.dataset.rendered = 'true';
  document.body.dataset.renderMs = String(Math.round(performance.now()));
  if (AA.mode === 'live') {
    document.getElementById('aa-live').hidden = false;
    setInterval(poll, POLL_MS);
  }
})();
