/* Report client: the trajectory viewer. Loads one trial's payload on demand — from the page (gzip+base64,
 * inflated with DecompressionStream) or from the live server — and renders every step: message,
 * reasoning, tool calls with arguments, observations (collapsed), sub-agent runs, verifier output.
 * The search box filters steps to those containing the text and highlights matches (CSS highlights). */
'use strict';
(() => {
  const AA = window.AA;
  const { el } = AA;

  async function inflate(b64) {
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return JSON.parse(await new Response(stream).text());
  }

  AA.loadPayload = async (data, trialId) => {
    if (AA.mode === 'live') {
      const res = await fetch('trajectory/' + encodeURIComponent(trialId));
      if (!res.ok) throw new Error(`server answered ${res.status} for trial ${trialId}`);
      return res.json();
    }
    const i = data.trials.findIndex((t) => t.id === trialId);
    const node = document.getElementById('tj-' + i);
    if (i < 0 || !node) throw new Error(`trial ${trialId} is not in this report`);
    return inflate(node.textContent.trim());
  };

  const pre = (text, cls) => el('pre', { class: cls || '', text });
  /** ATIF content: a string, or (v1.6+) text / image / audio parts, shown as text with media paths. */
  const asText = (c) =>
    Array.isArray(c)
      ? c
          .map((p) => (p.type === 'text' ? p.text || '' : `[${p.type}: ${(p.source && p.source.path) || ''}]`))
          .join('\n')
      : c || '';

  function toolCall(call) {
    const args = call.arguments || {};
    const cmd = typeof args.command === 'string' ? el('pre', { class: 'command', text: '$ ' + args.command }) : null;
    return el('div', { class: 'tool-call' }, [
      el('span', { class: 'tool-name', text: call.function_name }),
      el('span', { class: 'muted', text: ' ' + call.tool_call_id }),
      cmd,
      el('details', { class: 'args', open: !cmd }, [
        el('summary', { text: 'arguments' }),
        pre(JSON.stringify(args, null, 2)),
      ]),
    ]);
  }

  function observation(r, i, errors) {
    const text = asText(r.content);
    const lines = text ? text.split('\n').length : 0;
    const err = errors.includes(i) || Boolean(r.extra && r.extra.is_error); // v1.4 files kept the flag on the step
    return el('details', { class: 'obs' + (err ? ' error' : '') }, [
      el('summary', {
        text: `${err ? 'error output' : 'output'}${r.source_call_id ? ' · ' + r.source_call_id : ''} · ${lines} lines, ${text.length} chars`,
      }),
      pre(text),
    ]);
  }

  function step(s, subs) {
    const errors = (s.extra && Array.isArray(s.extra.error_results) && s.extra.error_results) || [];
    const results = (s.observation && s.observation.results) || [];
    // v1.7+ refs resolve by trajectory_id; our v1.4 files by session id.
    const subRuns = results
      .flatMap((r) => r.subagent_trajectory_ref || [])
      .map((ref) =>
        subs.find((t) => (ref.trajectory_id ? t.trajectory_id === ref.trajectory_id : t.session_id === ref.session_id)),
      )
      .filter(Boolean);
    return el('div', { class: `step src-${s.source}`, 'data-step': s.step_id }, [
      el('div', { class: 'step-head' }, [
        el('span', { class: 'badge', text: s.source }),
        ` #${s.step_id}`,
        s.model_name ? ` · ${s.model_name}` : '',
        s.timestamp ? ` · ${s.timestamp}` : '',
      ]),
      s.message && s.message.length ? el('div', { class: 'message', text: asText(s.message) }) : null,
      s.reasoning_content
        ? el('details', { class: 'reasoning' }, [el('summary', { text: 'reasoning' }), pre(s.reasoning_content)])
        : null,
      ...(s.tool_calls || []).map(toolCall),
      ...results.map((r, i) => observation(r, i, errors)),
      ...subRuns.map((t) =>
        el('details', { class: 'subagent' }, [
          el('summary', { text: `sub-agent run ${t.trajectory_id || t.session_id} (${t.steps.length} steps)` }),
          steps(t),
        ]),
      ),
    ]);
  }

  function steps(t) {
    const subs = t.subagent_trajectories || (t.extra && t.extra.subagent_trajectories) || [];
    return el(
      'div',
      { class: 'steps' },
      t.steps.map((s) => step(s, subs)),
    );
  }

  /** Shows only steps containing `q` (case-insensitive), opens the collapsed parts that match, highlights. */
  function search(root, q, counter) {
    const needle = q.trim().toLowerCase();
    const ranges = [];
    let shown = 0;
    const all = root.querySelectorAll(':scope > .steps > .step, .verifier');
    for (const s of all) {
      const hit = !needle || s.textContent.toLowerCase().includes(needle);
      s.classList.toggle('filtered-out', !hit);
      if (hit) shown++;
      if (!needle || !hit) continue;
      const walker = document.createTreeWalker(s, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.nodeValue.toLowerCase();
        for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
          const r = new Range();
          r.setStart(n, at);
          r.setEnd(n, at + needle.length);
          ranges.push(r);
          for (let p = n.parentElement; p && p !== s; p = p.parentElement) if (p.tagName === 'DETAILS') p.open = true;
        }
      }
    }
    if (window.CSS && CSS.highlights) CSS.highlights.set('aa-search', new Highlight(...ranges));
    counter.textContent = needle
      ? `${ranges.length} matches in ${shown} of ${all.length} steps`
      : `${all.length} steps`;
  }

  function render(p) {
    const v = p.verifier;
    const verifier = el('div', { class: 'verifier' }, [
      el('h4', {
        text: `Verifier: reward ${v.reward} · exit ${v.exitCode === null ? '—' : v.exitCode}${v.reason ? ' · ' + v.reason : ''}`,
      }),
      el('details', { open: true }, [el('summary', { text: 'verifier output' }), pre(v.output || '(empty)')]),
      p.verifierLog ? el('details', {}, [el('summary', { text: 'verifier log' }), pre(p.verifierLog)]) : null,
    ]);
    const t = p.trajectory;
    const body = p.omitted
      ? el('p', { class: 'warn', text: p.omitted })
      : t && Array.isArray(t.steps)
        ? steps(t)
        : el('p', { class: 'muted', text: 'no trajectory stored for this trial' });
    return { verifier, body };
  }

  AA.openTrajectory = async (data, trialId) => {
    const panel = document.getElementById('aa-trajectory');
    const root = AA.clear(panel.querySelector('.content'));
    panel.hidden = false;
    root.append(el('p', { class: 'muted', text: 'loading…' }));
    let p;
    try {
      p = await AA.loadPayload(data, trialId);
    } catch (err) {
      AA.clear(root).append(el('p', { class: 'warn', text: String(err && err.message ? err.message : err) }));
      return;
    }
    const { verifier, body } = render(p);
    const counter = el('span', { class: 'muted count' });
    const box = el('input', {
      type: 'search',
      id: 'traj-search',
      placeholder: 'search this trajectory…',
      autocomplete: 'off',
    });
    let timer = 0;
    box.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => search(root, box.value, counter), 120);
    });
    AA.clear(root).append(
      el('h3', { text: `Trial ${p.trialId}` }),
      el('p', {
        class: 'facts',
        text: `task ${p.task} · reward ${p.reward} · stop ${p.stopReason}${p.error ? ' · error: ' + p.error : ''}`,
      }),
      el('div', { class: 'searchbar' }, [box, counter]),
      verifier,
      body,
    );
    search(root, '', counter);
  };

  AA.closeTrajectory = () => {
    document.getElementById('aa-trajectory').hidden = true;
    if (window.CSS && CSS.highlights) CSS.highlights.delete('aa-search');
  };
})();
