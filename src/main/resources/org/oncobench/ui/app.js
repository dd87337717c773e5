// oncobench workbench pages: runs table, run detail, comparison. Data from /api (read-only); charts by Chart.js.
'use strict';

const LOWER_IS_BETTER = new Set(['rmse', 'mse', 'mae', 'brier', 'log_loss']);
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];
const POLL_MS = 2000;

// The worst group is marked only when the permutation test says its gap is larger than chance and it has enough test
// samples to mean something: eval.Fairness.flagsWorst, the report's rule (MIN_SAMPLES_TO_FLAG = 10).
function flagsWorst(dsp, g) {
  return !!dsp && dsp.larger_than_chance === true && g.group === dsp.worst && g.samples >= 10;
}

function bytes(n) {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`;
}

function esc(v) {
  return String(v ?? '').replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
}

function num(v, digits = 3) {
  return typeof v === 'number' && isFinite(v) ? v.toFixed(digits) : '–';
}

/** Counts (keys "n", "x.n") as integers, everything else with three decimals. */
function cell(key, v) {
  return metricName(key) === 'n' && typeof v === 'number' ? String(v) : num(v);
}

function duration(s) {
  if (typeof s !== 'number') return '–';
  s = Math.round(s);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor(s % 3600 / 60)).padStart(2, '0')}m`
    : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

function metricName(key) {
  return key.split('.').pop();
}

/** Positive when b is better than a for this metric. */
function improvement(metric, a, b) {
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  return LOWER_IS_BETTER.has(metricName(metric)) ? a - b : b - a;
}

function badge(status) {
  return `<span class="badge ${esc(status)}">${esc(status)}</span>`;
}

async function getJson(url) {
  const response = await fetch(url, {cache: 'no-store'});
  const body = await response.json().catch(() => ({error: `${response.status} ${response.statusText}`}));
  if (!response.ok) throw new Error(body.error || `${response.status}`);
  return body;
}

function showError(e) {
  const el = document.getElementById('error');
  if (el) {
    el.textContent = e.message;
    el.hidden = false;
  }
}

function setLive(on) {
  const el = document.getElementById('live');
  if (el) el.textContent = on ? '● live' : '';
}

/** Calls load() now and every POLL_MS while it returns true (something is still running). */
async function poll(load) {
  let again = false;
  try {
    again = await load();
  } catch (e) {
    showError(e);
    again = true; // a run folder being written; try again
  }
  setLive(again);
  if (again) setTimeout(() => poll(load), POLL_MS);
}

// ---------------------------------------------------------------- runs table

/**
 * What tells a run apart from others of its experiment (as `runs list` shows it): a study trial's parameters, else
 * the --set overrides it started with; a trial's number and a group member's `seeds: []` tell nothing apart.
 */
function distinguishing(r) {
  const out = {};
  Object.entries((r.study ? r.params : r.overrides) || {}).forEach(([k, v]) => {
    if (k !== 'trial' && k !== 'seeds') out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  });
  return out;
}

function overridesText(o) {
  return Object.entries(o).map(([k, v]) => `<span class="override">${esc(k)}=${esc(v)}</span>`).join(' ');
}

function runsPage() {
  // the server filters, sorts and pages (from the run index); this page shows one page at a time
  const state = {page: null, sort: 'id', desc: true, offset: 0, limit: 100, selected: new Set(), first: true, open: new Set(), seq: 0};
  const tbody = document.querySelector('#runs tbody');
  const filter = document.getElementById('filter');
  const filterError = document.getElementById('filter-error');
  const status = document.getElementById('status');
  const compare = document.getElementById('compare');
  const params = new URLSearchParams(location.search);
  filter.value = params.get('q') || '';
  status.value = params.get('status') || '';

  function gain(r) {
    return improvement(r.metric || 'rmse', r.baseline_value, r.value);
  }

  /** A single word (no operator) searches ids, names, models, splits and studies; anything else is the filter language. */
  function query() {
    const text = filter.value.trim();
    if (/^[^\s=<>!()'",]+$/.test(text) && !/^(and|or|not|in|like|ilike)$/i.test(text)) {
      return ['id', 'name', 'model', 'split', 'study', 'status', 'note'].map(f => `${f} ilike '%${text}%'`).join(' or ');
    }
    return text;
  }

  function url() {
    const p = new URLSearchParams({sort: state.sort, order: state.desc ? 'desc' : 'asc', offset: state.offset, limit: state.limit});
    const q = query();
    if (q) p.set('q', q);
    if (status.value) p.set('status', status.value);
    return '/api/runs?' + p;
  }

  function meanSd(values) {
    const v = values.filter(x => typeof x === 'number' && isFinite(x));
    if (!v.length) return '–';
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (v.length - 1)) : null;
    return num(mean) + (sd == null ? '' : ' ± ' + num(sd));
  }

  /** The line a run collapses under: its run group (seeds), else its study (trials); null for a run on its own. */
  function collapseKey(r) {
    return r.group ? 'group ' + r.group : r.study ? 'study ' + r.study : null;
  }

  function expandButton(key) {
    const open = state.open.has(key);
    return `<button class="expand" data-group="${esc(key)}" aria-expanded="${open}">${open ? '▾' : '▸'}</button>`;
  }

  // a run group (one experiment over several seeds) is one line with mean ± sd; its button shows the runs under it
  function groupRow(key, members) {
    const r = members[0];
    const sameBaseline = r.best_baseline && members.every(m => m.best_baseline === r.best_baseline);
    const common = Object.entries(distinguishing(r)).filter(([k, v]) => k !== 'seed' && members.every(m => distinguishing(m)[k] === v));
    return `<tr class="group" data-group="${esc(key)}"><td class="check"></td>`
      + `<td>${expandButton(key)} ${esc(r.group)}</td>`
      + `<td>${esc(r.name)}</td><td>${members.length} runs</td><td>${esc(r.split)}</td><td>${esc(r.model)}</td>`
      + `<td class="num metric">${r.metric ? esc(r.metric.toUpperCase()) + ' ' + meanSd(members.map(m => m.value)) : '–'}</td>`
      + `<td class="num">${sameBaseline ? esc(r.best_baseline) + ' ' + meanSd(members.map(m => m.baseline_value)) : '–'}</td><td></td>`
      + `<td>${esc((r.started || '').replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</td>`
      + `<td class="num">${duration(members.reduce((a, m) => a + (m.duration_seconds || 0), 0))}</td>`
      + `<td class="overrides">${overridesText(Object.fromEntries(common))}</td><td>${members.length} seeds</td></tr>`;
  }

  // a study's trials are one line: the best trial's metric and the parameters searched; its button shows the trial runs
  function studyRow(key, members) {
    const r = members[0];
    const auc = r.metric === 'auc';
    const best = members.filter(m => typeof m.value === 'number').reduce((b, m) => b == null || (auc ? m.value > b.value : m.value < b.value) ? m : b, null);
    const searched = [...new Set(members.flatMap(m => Object.keys(distinguishing(m))))].filter(k => k !== 'seed').sort();
    const models = [...new Set(members.map(m => m.model))].sort().join(', ');
    return `<tr class="group study" data-group="${esc(key)}"><td class="check"></td>`
      + `<td>${expandButton(key)} <a href="/studies/${encodeURIComponent(r.study)}">${esc(r.study)}</a></td>`
      + `<td>${esc(r.name)} <span class="tag">study</span></td><td>${members.length} trial runs</td><td>${esc(r.split)}</td><td>${esc(models)}</td>`
      + `<td class="num metric">${best ? esc(best.metric.toUpperCase()) + ' ' + num(best.value) + ' (best)' : '–'}</td>`
      + `<td class="num">${best && best.best_baseline ? esc(best.best_baseline) + ' ' + num(best.baseline_value) : '–'}</td><td></td>`
      + `<td>${esc((r.started || '').replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</td>`
      + `<td class="num">${duration(members.reduce((a, m) => a + (m.duration_seconds || 0), 0))}</td>`
      + `<td class="overrides">${searched.length ? 'searched ' + esc(searched.join(', ')) : ''}</td><td></td></tr>`;
  }

  function render() {
    const rows = state.page ? state.page.runs : [];
    const members = new Map();
    rows.filter(collapseKey).forEach(r => (members.get(collapseKey(r)) || members.set(collapseKey(r), []).get(collapseKey(r))).push(r));
    const emitted = new Set();
    tbody.innerHTML = rows.map(r => {
      const key = collapseKey(r);
      if (key) {
        if (emitted.has(key)) return '';
        emitted.add(key);
        const ms = members.get(key);
        return (r.group ? groupRow(key, ms) : studyRow(key, ms)) + (state.open.has(key) ? ms.map(m => runRow(m, 'member')).join('') : '');
      }
      return runRow(r, '');
    }).join('');
    renderedRest(rows);
  }

  /** Tags as chips (a click filters by the tag) and the note. */
  function tagsCell(r) {
    const chips = Object.entries(r.tags || {}).map(([k, v]) =>
      `<button class="chip" data-filter="${esc(`tags.${k} = '${String(v).replace(/'/g, '')}'`)}" title="show runs tagged ${esc(k)}=${esc(v)}">${esc(k)}=${esc(v)}</button>`);
    return chips.join(' ') + (r.note ? ` <span class="note" title="${esc(r.note)}">${esc(r.note)}</span>` : '');
  }

  function runRow(r, cls) {
    const g = gain(r);
    const study = r.study ? ` <a class="tag" href="/studies/${encodeURIComponent(r.study)}" title="trial of study ${esc(r.study)}">study</a>` : '';
    return `<tr data-id="${esc(r.id)}"${cls ? ` class="${cls}"` : ''}>`
      + `<td class="check"><input type="checkbox" value="${esc(r.id)}"${state.selected.has(r.id) ? ' checked' : ''} aria-label="select ${esc(r.id)}"></td>`
      + `<td><a href="/runs/${encodeURIComponent(r.id)}">${esc(r.id)}</a></td><td>${esc(r.name)}${study}</td><td>${badge(r.status)}</td>`
      + `<td>${esc(r.split)}</td><td>${esc(r.model)}</td>`
      + `<td class="num metric">${r.metric ? esc(r.metric.toUpperCase()) + ' ' + num(r.value) : '–'}</td>`
      + `<td class="num">${r.best_baseline ? esc(r.best_baseline) + ' ' + num(r.baseline_value) : '–'}</td>`
      + `<td class="num ${g == null ? '' : g > 0 ? 'better' : 'worse'}">${g == null ? '–' : (g > 0 ? '+' : '') + num(g)}</td>`
      + `<td>${esc((r.started || '').replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</td><td class="num">${duration(r.duration_seconds)}</td>`
      + `<td class="overrides">${overridesText(distinguishing(r))}</td><td class="tags">${tagsCell(r)}</td></tr>`;
  }

  function renderedRest(rows) {
    const p = state.page || {total: 0, matched: 0, offset: 0};
    document.querySelectorAll('#runs th[data-key]').forEach(th => {
      th.classList.toggle('sorted', th.dataset.key === state.sort);
      th.dataset.dir = th.dataset.key === state.sort ? (state.desc ? 'desc' : 'asc') : '';
    });
    const first = rows.length ? p.offset + 1 : 0;
    document.getElementById('count').textContent = p.message ? p.message
      : `${first.toLocaleString('en')}–${(p.offset + rows.length).toLocaleString('en')} of `
      + `${p.matched.toLocaleString('en')} matching (${p.total.toLocaleString('en')} runs)`;
    document.getElementById('prev').disabled = p.offset === 0;
    document.getElementById('next').disabled = p.offset + rows.length >= p.matched;
    document.getElementById('empty').hidden = p.total > 0;
    compare.disabled = state.selected.size < 2;
    compare.textContent = `Compare selected (${state.selected.size})`;
    if (state.first) {
      state.first = false;
      document.body.dataset.renderedMs = String(Math.round(performance.now()));
    }
    document.body.dataset.rows = String(rows.length);
    document.body.dataset.matched = String(p.matched);
  }

  async function load() {
    const seq = ++state.seq;
    let page;
    try {
      page = await getJson(url());
    } catch (e) {
      if (seq !== state.seq) return false;
      filterError.textContent = e.message;
      filterError.hidden = false;
      document.body.dataset.filterError = 'true';
      return false;
    }
    if (seq !== state.seq) return false; // a newer query is on its way
    filterError.hidden = true;
    delete document.body.dataset.filterError;
    state.page = page;
    render();
    return page.runs.some(r => r.status === 'running');
  }

  function reload(resetOffset) {
    if (resetOffset) state.offset = 0;
    const p = new URLSearchParams();
    if (filter.value.trim()) p.set('q', filter.value.trim());
    if (status.value) p.set('status', status.value);
    history.replaceState(null, '', p.toString() ? '?' + p : location.pathname);
    load().catch(showError);
  }

  document.querySelectorAll('#runs th[data-key]').forEach(th => th.addEventListener('click', () => {
    state.desc = state.sort === th.dataset.key ? !state.desc : th.dataset.key === 'id' || th.dataset.key === 'started';
    state.sort = th.dataset.key;
    reload(true);
  }));
  let typing = null;
  filter.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => reload(true), 200);
  });
  status.addEventListener('change', () => reload(true));
  document.getElementById('prev').addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - state.limit);
    reload(false);
  });
  document.getElementById('next').addEventListener('click', () => {
    state.offset += state.limit;
    reload(false);
  });
  tbody.addEventListener('click', e => {
    const chip = e.target.closest('button.chip');
    if (chip) {
      filter.value = chip.dataset.filter;
      reload(true);
      return;
    }
    const button = e.target.closest('button.expand');
    if (button) {
      const id = button.dataset.group;
      state.open.has(id) ? state.open.delete(id) : state.open.add(id);
      render();
    }
  });
  tbody.addEventListener('change', e => {
    if (e.target.type === 'checkbox') {
      e.target.checked ? state.selected.add(e.target.value) : state.selected.delete(e.target.value);
      render();
    }
  });
  document.getElementById('all').addEventListener('change', e => {
    (state.page ? state.page.runs : []).forEach(r => e.target.checked ? state.selected.add(r.id) : state.selected.delete(r.id));
    render();
  });
  compare.addEventListener('click', () => {
    location.href = '/compare?ids=' + [...state.selected].map(encodeURIComponent).join(',');
  });

  poll(load);
}

// ---------------------------------------------------------------- one run

/**
 * An axis that does not blow noise up into a cliff: a loss or an RMSE starts at 0, an AUC spans 0.5 (chance) to 1;
 * autoscaling to the data's own range made a 0.002 wobble of validation RMSE fill the whole height.
 */
function metricAxis(metric) {
  return /auc/i.test(metric || '') ? {suggestedMin: 0.5, max: 1} : {beginAtZero: true};
}

function lineChart(canvas, yTitle, y2Title, yMetric, y2Metric) {
  const scales = {
    x: {type: 'linear', title: {display: true, text: 'epoch'}, ticks: {precision: 0}},
    y: {title: {display: true, text: yTitle}, ...metricAxis(yMetric)},
  };
  if (y2Title) scales.y2 = {position: 'right', title: {display: true, text: y2Title}, grid: {drawOnChartArea: false}, ...metricAxis(y2Metric)};
  return new Chart(canvas, {
    type: 'line', data: {datasets: []},
    options: {animation: false, maintainAspectRatio: false, parsing: false, normalized: true, scales, plugins: {legend: {position: 'bottom'}},
      elements: {point: {radius: 0}, line: {borderWidth: 2}}, interaction: {mode: 'nearest', intersect: false}},
  });
}

/** history.jsonl rows grouped by (repeat, fold). */
function curvesByFold(history) {
  const folds = new Map();
  for (const h of history) {
    const key = `r${h.repeat}f${h.fold}`;
    if (!folds.has(key)) folds.set(key, {repeat: h.repeat, fold: h.fold, train: [], validation: []});
    const f = folds.get(key);
    f.train.push({x: h.epoch, y: h.train_loss});
    if (typeof h.validation === 'number') f.validation.push({x: h.epoch, y: h.validation});
  }
  return [...folds.values()];
}

function setDatasets(chart, datasets) {
  chart.data.datasets = datasets;
  chart.update('none');
}

function metricTable(table, metrics) {
  const test = metrics.test || {};
  const baselines = metrics.baselines || {};
  const keys = Object.keys(test).filter(k => k !== 'n');
  const rows = [['model', test, true], ...Object.entries(baselines).map(([name, m]) => [name, m, name === metrics.best_baseline])];
  table.innerHTML = `<thead><tr><th>predictor</th><th class="num">n</th>${keys.map(k => `<th class="num">${esc(k)}</th>`).join('')}</tr></thead><tbody>`
    + rows.map(([name, m, strong]) => `<tr class="${name === 'model' ? 'model' : ''}${strong && name !== 'model' ? ' best' : ''}"><td>${esc(name)}${name === metrics.best_baseline ? ' <span class="muted">(best baseline)</span>' : ''}</td>`
      + `<td class="num">${esc(m.n ?? '')}</td>${keys.map(k => `<td class="num">${num(m[k])}</td>`).join('')}</tr>`).join('') + '</tbody>';
}

function sortableTable(table, columns, rows) {
  let sort = columns[0].key, desc = false;
  function render() {
    const sorted = [...rows].sort((a, b) => {
      const x = a[sort], y = b[sort];
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''), undefined, {numeric: true});
      return desc ? -c : c;
    });
    table.innerHTML = `<thead><tr>${columns.map(c => `<th data-key="${c.key}" class="${c.num ? 'num' : ''}${c.key === sort ? ' sorted' : ''}" data-dir="${c.key === sort ? (desc ? 'desc' : 'asc') : ''}">${esc(c.label)}</th>`).join('')}</tr></thead>`
      + `<tbody>${sorted.map(r => `<tr>${columns.map(c => `<td class="${c.num ? 'num' : ''}">${c.num && c.key !== 'n' ? num(r[c.key]) : esc(r[c.key])}</td>`).join('')}</tr>`).join('')}</tbody>`;
    table.querySelectorAll('th').forEach(th => th.addEventListener('click', () => {
      desc = sort === th.dataset.key ? !desc : false;
      sort = th.dataset.key;
      render();
    }));
  }
  render();
}

function groupColumns(first, rows) {
  const keys = Object.keys(rows[0] || {}).filter(k => k !== first && k !== 'n');
  return [{key: first, label: first}, {key: 'n', label: 'n', num: true}, ...keys.map(k => ({key: k, label: k, num: true}))];
}

function provenanceTable(table, p) {
  if (!p) {
    table.innerHTML = '<tr><td class="muted">no provenance.json</td></tr>';
    return;
  }
  const rows = [];
  const walk = (prefix, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) Object.entries(v).forEach(([k, x]) => walk(prefix ? `${prefix}.${k}` : k, x));
    else rows.push([prefix, Array.isArray(v) ? v.join(' ') : v]);
  };
  walk('', p);
  table.innerHTML = rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('');
}

function runPage() {
  const id = decodeURIComponent(location.pathname.substring('/runs/'.length));
  document.title = `oncobench · ${id}`;
  let curves = null, scatter = null, staticDone = false;

  async function load() {
    const d = await getJson('/api/runs/' + encodeURIComponent(id));
    const r = d.run;
    const vm = d.validation_metric;
    document.getElementById('title').innerHTML = `${esc(r.id)} ${badge(r.status)}`;
    document.getElementById('subtitle').textContent = `${r.name} · ${r.split} split · ${r.model} model · started ${r.started}`
      + (r.finished ? ` · finished ${r.finished}` : '') + (r.error ? ` · ${r.error}` : '');
    document.body.dataset.status = r.status;

    const folds = curvesByFold(d.history);
    const epochs = d.history.length ? Math.max(...d.history.map(h => h.epoch)) : 0;
    const cards = [];
    if (r.metric) {
      // the run's one verdict (metrics.json), as the console, the report and the model card print it
      const v = d.metrics && d.metrics.verdict;
      const tone = v ? ({beats: 'better', worse: 'worse', worse_no_interval: 'worse'})[v.outcome] || 'muted' : 'muted';
      cards.push(['Test ' + r.metric.toUpperCase(), num(r.value), `best baseline ${esc(r.best_baseline)} ${num(r.baseline_value)}`
        + (v ? ` · <span class="${tone}" id="verdict" data-outcome="${esc(v.outcome)}">${esc(v.text)}</span>` : '')]);
    }
    const lastVal = folds.length ? folds[folds.length - 1].validation.at(-1) : null;
    cards.push(['Epochs', String(epochs), lastVal ? `latest validation ${vm} ${num(lastVal.y)}` : 'no validation rows']);
    if (d.metrics && d.metrics.training) {
      const t = d.metrics.training;
      cards.push(['Model from epoch', String(t.model_from_epoch ?? t.best_epoch ?? '–'), t.stopped_early ? 'stopped early' : 'ran all epochs']);
    }
    cards.push(['Duration', duration(r.duration_seconds), r.status === 'running' ? 'running…' : esc(r.status)]);
    document.getElementById('cards').innerHTML = cards.map(([k, v, sub]) => `<div class="card"><div class="k">${esc(k)}</div><div class="v" data-card="${esc(k)}">${esc(v)}</div><div class="sub">${sub}</div></div>`).join('');

    const files = d.files || [];
    document.getElementById('files-section').hidden = !files.length;
    document.getElementById('files').innerHTML = files.map(f => `<li data-file="${esc(f.name)}"><a href="${esc(f.url)}" download>${esc(f.name)}</a>`
      + ` <span class="muted small">${esc(bytes(f.bytes))}</span>`
      + (f.name === 'report.html' ? ` · <a href="${esc(f.url)}?view=1" target="_blank" rel="noopener">view</a>` : '') + '</li>').join('');

    if (!curves) curves = lineChart(document.getElementById('curves'), 'training loss (standardised target)', 'validation ' + vm, 'loss', vm);
    const datasets = [];
    folds.forEach((f, i) => {
      const label = folds.length > 1 ? ` (repeat ${f.repeat} fold ${f.fold})` : '';
      const color = COLORS[i % COLORS.length];
      datasets.push({label: 'training loss' + label, data: f.train, borderColor: color, backgroundColor: color, yAxisID: 'y', borderDash: [4, 3]});
      if (f.validation.length) datasets.push({label: 'validation ' + vm + label, data: f.validation, borderColor: color, backgroundColor: color, yAxisID: 'y2'});
    });
    setDatasets(curves, datasets);
    document.getElementById('curves').dataset.points = String(d.history.length);

    const p = d.predictions;
    if (p && p.n > 0 && !scatter) {
      const pts = p.observed.map((o, i) => ({x: o, y: p.predicted[i]}));
      const lo = Math.min(...p.observed, ...p.predicted), hi = Math.max(...p.observed, ...p.predicted);
      scatter = new Chart(document.getElementById('scatter'), {
        type: 'scatter',
        data: {datasets: [
          {label: `test rows${p.shown < p.n ? ` (${p.shown} of ${p.n} shown)` : ` (${p.n})`}`, data: pts, pointRadius: 2, backgroundColor: 'rgba(31,119,180,0.45)'},
          {label: 'y = x', type: 'line', data: [{x: lo, y: lo}, {x: hi, y: hi}], borderColor: '#999', borderDash: [5, 4], pointRadius: 0},
        ]},
        options: {animation: false, maintainAspectRatio: false, parsing: false, plugins: {legend: {position: 'bottom'}},
          scales: {x: {title: {display: true, text: 'observed'}}, y: {title: {display: true, text: 'predicted'}}}},
      });
      document.getElementById('scatter').dataset.points = String(pts.length);
    } else if (!p || p.n === 0) {
      document.getElementById('scatter-caption').textContent = 'Predicted vs observed: written when the run finishes';
    }

    if (d.metrics && !staticDone) {
      staticDone = true;
      metricTable(document.getElementById('metrics'), d.metrics);
      const cal = d.metrics.calibration;
      if (cal) { // classification: a reliability curve per predictor with more than one bin (the class prior is one point)
        document.getElementById('calibration-figure').hidden = false;
        const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
        const datasets = Object.entries(cal).filter(([, bins]) => bins.length > 1).map(([name, bins], i) => ({
          label: name, type: 'line', data: bins.map(b => ({x: b.mean_predicted, y: b.observed_rate})),
          borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], pointRadius: 3}));
        datasets.push({label: 'perfect', type: 'line', data: [{x: 0, y: 0}, {x: 1, y: 1}], borderColor: '#999', borderDash: [5, 4], pointRadius: 0});
        new Chart(document.getElementById('calibration'), {type: 'scatter', data: {datasets},
          options: {animation: false, maintainAspectRatio: false, parsing: false, plugins: {legend: {position: 'bottom'}},
            scales: {x: {min: 0, max: 1, title: {display: true, text: 'mean predicted probability'}},
              y: {min: 0, max: 1, title: {display: true, text: 'observed positive rate'}}}}});
        document.getElementById('calibration').dataset.series = String(datasets.length - 1);
      }
      const sig = d.metrics.significance;
      if (sig && sig.intervals && sig.intervals.model) {
        document.getElementById('significance-section').hidden = false;
        const metricsShown = Object.keys(sig.intervals.model);
        const headline = metricsShown[0];
        const iv = i => i && typeof i.estimate === 'number' ? `${num(i.estimate)} <span class="muted">[${num(i.low)}, ${num(i.high)}]</span>` : '–';
        const pv = v => typeof v === 'number' && isFinite(v) ? v.toPrecision(3) : '–';
        const excludes = i => i && typeof i.low === 'number' && (i.low > 0 || i.high < 0);
        const tests = sig.per_drug_tests || {};
        const verdict = d.metrics.verdict;
        document.getElementById('significance-summary').textContent = `Bootstrap over ${sig.units} ${sig.unit}, ${sig.resamples} resamples. `
          + (verdict ? verdict.text.charAt(0).toUpperCase() + verdict.text.slice(1) + '.' : '') + (sig.caveat ? ` Note: ${sig.caveat}.` : '');
        const rows = Object.entries(sig.intervals);
        document.getElementById('significance').innerHTML = `<thead><tr><th>predictor</th>${metricsShown.map(k => `<th class="num">${esc(k)}</th>`).join('')}`
          + `<th class="num">model − predictor ${esc(headline)}</th><th class="num">per-drug Wilcoxon p (Holm)</th></tr></thead><tbody>`
          + rows.map(([name, m]) => {
            const dm = (sig.model_minus_baseline || {})[name];
            const t = tests[name];
            return `<tr class="${name === 'model' ? 'model' : ''}"><td>${esc(name)}</td>${metricsShown.map(k => `<td class="num">${iv(m[k])}</td>`).join('')}`
              + `<td class="num${dm && excludes(dm[headline]) ? ' best' : ''}">${dm ? iv(dm[headline]) : ''}</td>`
              + `<td class="num">${t ? `${pv(t.p)} (${pv(t.p_holm)})` : ''}</td></tr>`;
          }).join('') + '</tbody>';
      }
      const rnd = d.metrics.randomization;
      if (rnd && rnd.tables) {
        document.getElementById('randomization-section').hidden = false;
        const keys = Object.keys(rnd.model);
        document.getElementById('randomization-summary').textContent = `Each table ${rnd.kind === 'permute' ? 'with its rows permuted' : 'replaced by its training mean'}`
          + ` in turn, the network trained again on fold ${rnd.fold} (${rnd.repeats} repeats); in brackets the change from the model's score. ${rnd.rule}.`;
        const signed = v => typeof v === 'number' ? (v >= 0 ? '+' : '') + num(v) : '–';
        document.getElementById('randomization').innerHTML = `<thead><tr><th>table</th>${keys.map(k => `<th class="num">${esc(k)}</th>`).join('')}<th>relied on</th></tr></thead><tbody>`
          + `<tr class="model"><td>(model)</td>${keys.map(k => `<td class="num">${num(rnd.model[k])}</td>`).join('')}<td></td></tr>`
          + Object.entries(rnd.tables).map(([name, t]) => `<tr><td>${esc(name)}</td>${keys.map(k => `<td class="num">${num(t[k].mean)} <span class="muted">(${signed(t[k].change_mean)} ± ${num(t[k].change_sd)})</span></td>`).join('')}`
            + `<td>${t.relied_on ? '<strong>yes</strong>' : 'no'}</td></tr>`).join('') + '</tbody>';
      }
      const ex = d.metrics.explain;
      if (ex && ex.tables) {
        document.getElementById('explain-section').hidden = false;
        const c = ex.completeness;
        document.getElementById('explain-summary').textContent = `${ex.method.replace(/_/g, ' ')}${ex.steps ? ` (${ex.steps} steps)` : ''} over ${ex.rows_explained} test rows; `
          + `baseline: ${ex.baseline}; attributions in ${ex.units}.`
          + (c && typeof c.median_relative_error === 'number' ? ` Completeness: attributions sum to f(x) − f(baseline) within ${(100 * c.median_relative_error).toFixed(2)}% (median), ${(100 * c.within_1_percent).toFixed(0)}% of rows within 1%.` : '');
        document.getElementById('explain-tables').innerHTML = '<thead><tr><th>input table</th><th class="num">share</th><th>top features (mean |attribution|)</th></tr></thead><tbody>'
          + Object.entries(ex.tables).map(([name, t]) => `<tr data-table="${esc(name)}"><td>${esc(name)}</td><td class="num">${(100 * (t.share || 0)).toFixed(1)}%</td>`
            + `<td>${t.top.slice(0, 8).map(f => `${esc(f.feature)} <span class="muted">${num(f.mean_abs_attribution)}</span>`).join(', ')}</td></tr>`).join('') + '</tbody>';
        const perm = ex.permutation || {tables: {}, features: []};
        document.getElementById('explain-permutation').innerHTML = `<thead><tr><th>shuffled</th><th class="num">${esc((perm.metric || '').toUpperCase())} lost</th><th class="num">mean |attribution|</th></tr></thead><tbody>`
          + Object.entries(perm.tables).map(([name, t]) => `<tr><td>table ${esc(name)}</td><td class="num">${num(t.score_drop_mean)} ± ${num(t.score_drop_sd)}</td><td></td></tr>`).join('')
          + perm.features.map(f => `<tr><td>${esc(f.table)}: ${esc(f.feature)}</td><td class="num">${num(f.score_drop_mean, 4)} ± ${num(f.score_drop_sd, 4)}</td><td class="num">${num(f.mean_abs_attribution)}</td></tr>`).join('') + '</tbody>';
        const drugs = Object.entries(ex.per_drug || {});
        document.getElementById('explain-drugs-title').hidden = !drugs.length;
        document.getElementById('explain-drugs').innerHTML = drugs.length ? `<thead><tr><th>drug</th><th class="num">rows</th><th>top ${esc(ex.per_drug_table)} features</th></tr></thead><tbody>`
          + drugs.map(([drug, v]) => `<tr data-drug="${esc(drug)}"><td>${esc(drug)}</td><td class="num">${v.rows}</td><td>${v.top.slice(0, 3).map(f => esc(f.feature)).join(', ')}</td></tr>`).join('') + '</tbody>' : '';
        const rows = d.explanations || [];
        const select = document.getElementById('explain-row');
        if (select.options.length !== rows.length) {
          select.innerHTML = rows.map((r, i) => `<option value="${i}">${esc(r.sample)}${r.drug ? ' × ' + esc(r.drug) : ''} → ${num(r.predicted)}</option>`).join('');
          const show = () => {
            const r = rows[Number(select.value)];
            document.getElementById('explain-one').innerHTML = r ? '<thead><tr><th class="num">rank</th><th>input</th><th>feature</th><th class="num">value</th><th class="num">attribution</th></tr></thead><tbody>'
              + r.top.map((f, k) => `<tr><td class="num">${k + 1}</td><td>${esc(f.table)}</td><td>${esc(f.feature)}</td><td class="num">${num(f.value)}</td>`
                + `<td class="num ${f.attribution > 0 ? 'worse' : 'better'}">${f.attribution > 0 ? '+' : ''}${num(f.attribution, 4)}</td></tr>`).join('') + '</tbody>' : '';
            document.body.dataset.explained = r ? r.sample + '|' + (r.drug || '') : '';
          };
          select.addEventListener('change', show);
          show();
        }
      }
      const un = d.metrics.uncertainty;
      if (un && un.levels) {
        const sets = 'mean_set_size' in un;
        document.getElementById('uncertainty-section').hidden = false;
        document.getElementById('uncertainty-summary').textContent = `${un.method}; calibrated on ${un.calibration_rows} validation rows. `
          + `At the nominal ${Math.round(un.level * 100)}%: test coverage ${num(un.coverage)}, mean ${sets ? 'set size' : 'width'} ${num(sets ? un.mean_set_size : un.mean_width)}.`;
        document.getElementById('uncertainty').innerHTML = `<thead><tr><th class="num">nominal</th><th class="num">test coverage</th><th class="num">mean ${sets ? 'set size' : 'width'}</th></tr></thead><tbody>`
          + Object.entries(un.levels).map(([l, v]) => `<tr data-level="${esc(l)}"><td class="num">${esc(l)}</td><td class="num">${num(v.coverage)}</td><td class="num">${num(sets ? v.mean_set_size : v.mean_width)}</td></tr>`).join('') + '</tbody>';
      }
      const fair = d.metrics.fairness;
      if (fair && Object.keys(fair).length) {
        document.getElementById('fairness-section').hidden = false;
        document.getElementById('fairness').innerHTML = Object.entries(fair).map(([column, c]) => {
          const dsp = c.disparity;
          const head = dsp ? `<p>By <b>${esc(column)}</b>: worst ${esc(dsp.worst)} (${esc(c.metric.toUpperCase())} ${num(dsp['worst_' + c.metric])}), best ${esc(dsp.best)} (${num(dsp['best_' + c.metric])}); `
            + `gap ${num(dsp.gap)} [${num(dsp.gap_interval[0])}, ${num(dsp.gap_interval[1])}], ratio ${num(dsp.ratio, 2)}; permutation p = ${num(dsp.permutation_p)}: `
            + `<b>${dsp.larger_than_chance ? 'larger than chance' : 'within what chance gives'}</b>.</p>` : `<p>By <b>${esc(column)}</b>: ${esc(c.note)}.</p>`;
          const small = c.too_small_to_score.length ? `<p class="muted">Too small to score (${esc(c.minimum)}): ${c.too_small_to_score.map(esc).join(', ')}.</p>` : '';
          return head + small + `<table class="grid fairness" data-column="${esc(column)}"><thead><tr><th>${esc(column)}</th><th class="num">rows</th><th class="num">samples</th><th class="num">${esc(c.metric)}</th></tr></thead><tbody>`
            + c.groups.map(g => `<tr class="${flagsWorst(dsp, g) ? 'worse' : ''}"><td>${esc(g.group)}</td><td class="num">${g.rows}</td><td class="num">${g.samples}</td><td class="num">${typeof g[c.metric] === 'number' ? num(g[c.metric]) : 'too small'}</td></tr>`).join('') + '</tbody></table>';
        }).join('');
      }
      const lc = d.metrics.learning_curve;
      if (lc && lc.points && lc.points.length) {
        document.getElementById('learning-curve-section').hidden = false;
        document.getElementById('learning-curve-summary').textContent = `Test ${lc.headline} by the number of training ${lc.unit} (nested fractions, the same test rows).`;
        const names = Object.keys(lc.points[lc.points.length - 1].scores);
        document.getElementById('learning-curve').innerHTML = `<thead><tr><th>predictor</th>${lc.points.map(p => `<th class="num">${p.units} ${esc(lc.unit)} (${Math.round(p.fraction * 100)}%)</th>`).join('')}</tr></thead><tbody>`
          + names.map(n => `<tr class="${n === 'model' ? 'model' : ''}"><td>${esc(n)}</td>${lc.points.map(p => `<td class="num">${num((p.scores[n] || {})[lc.headline])}</td>`).join('')}</tr>`).join('') + '</tbody>';
      }
      const summary = d.metrics.summary;
      if (summary && summary.model) {
        document.getElementById('folds-section').hidden = false;
        const keys = Object.keys(summary.model);
        const rows = [['model', summary.model], ...Object.entries(summary.baselines || {})];
        const ms = m => m && typeof m.mean === 'number' ? `${num(m.mean)} ± ${num(m.sd)}${m.folds < (summary.model[keys[0]] || {}).folds ? ` <span class="muted">(${m.folds} folds)</span>` : ''}` : '–';
        document.getElementById('folds').innerHTML = `<thead><tr><th>predictor</th>${keys.map(k => `<th class="num">${esc(k)}</th>`).join('')}</tr></thead><tbody>`
          + rows.map(([name, m]) => `<tr class="${name === 'model' ? 'model' : ''}"><td>${esc(name)}</td>${keys.map(k => `<td class="num">${ms(m[k])}</td>`).join('')}</tr>`).join('') + '</tbody>';
      }
      const pd = d.metrics.per_drug;
      if (pd && pd.drugs && pd.drugs.length) {
        document.getElementById('per-drug-section').hidden = false;
        // classification runs summarise AUC per drug (and Brier), regression runs Pearson (and RMSE)
        const cls = 'auc_mean' in pd || 'groups_with_auc' in pd;
        const [metric, label, second, secondLabel] = cls ? ['auc', 'AUC', 'brier_mean', 'Brier'] : ['pearson', 'Pearson', 'rmse_mean', 'RMSE'];
        document.getElementById('per-drug-summary').textContent = `${pd.groups} drugs; mean ${label} ${num(pd[metric + '_mean'])}, median ${num(pd[metric + '_median'])}; mean ${secondLabel} ${num(pd[second])}`;
        sortableTable(document.getElementById('per-drug'), groupColumns('drug', pd.drugs), pd.drugs);
      }
      const pg = d.metrics.per_group || {};
      const groups = Object.entries(pg).filter(([, g]) => g.rows && g.rows.length);
      if (groups.length) {
        document.getElementById('per-group-section').hidden = false;
        document.getElementById('per-group-title').textContent = 'Per ' + groups.map(([k]) => k).join(', per ');
        const holder = document.getElementById('per-group');
        holder.innerHTML = groups.map(([k]) => `${groups.length > 1 ? `<h3>${esc(k)}</h3>` : ''}<table class="grid sortable" id="per-group-${esc(k)}"></table>`).join('');
        groups.forEach(([k, g]) => sortableTable(document.getElementById('per-group-' + k), groupColumns('group', g.rows), g.rows));
      }
    } else if (!d.metrics) {
      document.getElementById('metrics').innerHTML = '<tr><td class="muted">Test metrics and baselines are written when the run finishes.</td></tr>';
    }

    const sessions = folds.length > 1 ? folds.map(f => [`${id}_r${f.repeat}f${f.fold}`, `repeat ${f.repeat} fold ${f.fold}`]) : [[id, 'overview']];
    document.getElementById('dl4j').innerHTML = 'DL4J\'s own view of this run (score, update:parameter ratios, activations, memory): '
      + sessions.map(([s, label]) => `<a class="dl4j" href="/dl4j/${encodeURIComponent(id)}?session=${encodeURIComponent(s)}">${esc(label)}</a>`).join(' · ');
    document.getElementById('config').textContent = d.experiment_yaml;
    provenanceTable(document.getElementById('provenance'), d.provenance);
    return r.status === 'running';
  }

  poll(load);
}

// ---------------------------------------------------------------- comparison

function comparePage() {
  const ids = (new URLSearchParams(location.search).get('ids') || '').split(',').filter(Boolean);
  let chart = null;

  async function load() {
    const d = await getJson('/api/compare?ids=' + ids.map(encodeURIComponent).join(','));
    document.getElementById('which').innerHTML = d.runs.map((id, i) => `<span class="swatch" style="background:${COLORS[i % COLORS.length]}"></span>`
      + `<a href="/runs/${encodeURIComponent(id)}">${esc(id)}</a> ${badge(d.records[id] ? d.records[id].status : '?')}`).join(' &nbsp; ');
    const metricNames = [...new Set(Object.values(d.validation_metric))];
    document.getElementById('curves-caption').textContent = `Validation ${metricNames.join(' / ')} per epoch (first fold of k-fold runs)`;
    if (!chart) chart = lineChart(document.getElementById('curves'), 'validation ' + metricNames.join(' / '), null, metricNames.length === 1 ? metricNames[0] : 'mixed');
    setDatasets(chart, d.runs.map((id, i) => {
      const folds = curvesByFold(d.history[id]);
      return {label: id, data: folds.length ? folds[0].validation : [], borderColor: COLORS[i % COLORS.length], backgroundColor: COLORS[i % COLORS.length]};
    }));
    document.getElementById('curves').dataset.series = String(d.runs.length);

    const keys = [...new Set(d.runs.flatMap(id => Object.keys(d.metrics[id] || {})))];
    const first = d.runs[0];
    document.getElementById('metrics').innerHTML = `<thead><tr><th>metric</th>${d.runs.map(id => `<th class="num">${esc(id)}</th>`).join('')}`
      + `${d.runs.slice(1).map(id => `<th class="num">Δ ${esc(id.slice(-12))}</th>`).join('')}</tr></thead><tbody>`
      + keys.map(k => {
        const a = (d.metrics[first] || {})[k];
        return `<tr><td>${esc(k)}</td>${d.runs.map(id => `<td class="num">${cell(k, (d.metrics[id] || {})[k])}</td>`).join('')}`
          + d.runs.slice(1).map(id => {
            const b = (d.metrics[id] || {})[k];
            const g = improvement(k, a, b);
            return `<td class="num ${g == null || g === 0 || metricName(k) === 'n' ? '' : g > 0 ? 'better' : 'worse'}">${typeof a === 'number' && typeof b === 'number' ? ((b - a >= 0 ? '+' : '') + cell(k, b - a)) : '–'}</td>`;
          }).join('') + '</tr>';
      }).join('') + '</tbody>';

    document.getElementById('paired').innerHTML = Object.entries(d.paired_tests || {}).map(([id, t]) =>
      `<li data-run="${esc(id)}"${t.skipped ? ' class="muted"' : ''}><b>${esc(first)} vs ${esc(id)}</b>: ${esc(t.text)}</li>`).join('');

    const diffs = Object.entries(d.config_differences);
    document.getElementById('config-diff').innerHTML = diffs.length
      ? `<thead><tr><th>key</th>${d.runs.map(id => `<th>${esc(id)}</th>`).join('')}</tr></thead><tbody>`
        + diffs.map(([k, vals]) => `<tr><td><code>${esc(k)}</code></td>${vals.map(v => `<td>${esc(v)}</td>`).join('')}</tr>`).join('') + '</tbody>'
      : '<tr><td>Same configuration.</td></tr>';
    return Object.values(d.records).some(r => r.status === 'running');
  }

  if (ids.length < 2) {
    showError(new Error('Select at least two runs on the runs page to compare them.'));
    return;
  }
  poll(load);
}


// ---------------------------------------------------------------- studies

function meanSdText(m) {
  if (!m || typeof m.mean !== 'number') return '–';
  return num(m.mean) + (typeof m.sd === 'number' ? ' ± ' + num(m.sd) : '');
}

function paramText(params) {
  return Object.entries(params || {}).map(([k, v]) => `${k}=${typeof v === 'number' ? +v.toPrecision(4) : Array.isArray(v) ? JSON.stringify(v) : v}`).join(', ');
}

function studiesPage() {
  poll(async () => {
    const studies = await getJson('/api/studies');
    document.querySelector('#studies tbody').innerHTML = studies.map(s => {
      const b = s.best || {};
      return `<tr data-id="${esc(s.id)}"><td><a href="/studies/${encodeURIComponent(s.id)}">${esc(s.id)}</a></td><td>${esc(s.name)}</td>`
        + `<td>${badge(s.status)}</td><td class="num">${esc(s.trials)}</td><td>${esc(s.search || '')}</td>`
        + `<td>${b.trial == null ? '–' : 'trial ' + esc(b.trial) + ' · ' + esc(paramText(b.params))}</td>`
        + `<td class="num">${num(b.validation, 4)}</td><td>${esc((s.started || '').replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</td></tr>`;
    }).join('');
    document.getElementById('empty').hidden = studies.length > 0;
    document.body.dataset.rows = String(studies.length);
    return studies.some(s => s.status === 'running');
  });
}

/** Parallel coordinates as SVG: an axis per parameter (numbers scaled, log when they span decades; words spaced) and the metric. */
function parallelCoordinates(el, keys, trials, metric, lowerIsBetter) {
  const rows = trials.filter(t => typeof t.validation === 'number');
  if (!rows.length || !keys.length) {
    el.innerHTML = '<p class="muted">No finished trials yet.</p>';
    return;
  }
  const axes = [...keys, metric];
  const W = Math.max(520, 170 * axes.length), H = 320, top = 30, bottom = H - 40, left = 60, right = W - 60;
  const value = (t, k) => k === metric ? t.validation : t.params[k];
  const scales = axes.map(k => {
    const vs = rows.map(t => value(t, k));
    if (vs.every(v => typeof v === 'number')) {
      const lo = Math.min(...vs), hi = Math.max(...vs);
      const f = lo > 0 && hi / lo >= 10 ? Math.log : (v => v);
      const y = v => hi === lo ? (top + bottom) / 2 : bottom - (f(v) - f(lo)) / (f(hi) - f(lo)) * (bottom - top);
      return {k, y, ticks: [...new Set([lo, hi])].map(v => ({y: y(v), label: String(+v.toPrecision(3))}))};
    }
    const words = [...new Set(vs.map(v => JSON.stringify(v)))];
    const at = w => words.length === 1 ? (top + bottom) / 2 : bottom - words.indexOf(w) / (words.length - 1) * (bottom - top);
    return {k, y: v => at(JSON.stringify(v)), ticks: words.map(w => ({y: at(w), label: w.replace(/^"|"$/g, '')}))};
  });
  const x = i => left + i * (right - left) / Math.max(1, axes.length - 1);
  const scores = rows.map(t => t.validation), lo = Math.min(...scores), hi = Math.max(...scores);
  const shade = v => { const q = hi === lo ? 1 : (lowerIsBetter ? (hi - v) / (hi - lo) : (v - lo) / (hi - lo)); return `rgba(31,119,180,${(0.15 + 0.85 * q).toFixed(2)})`; };
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" id="parallel-svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-size="12" font-family="sans-serif">`;
  rows.forEach(t => {
    const pts = scales.map((s, i) => `${x(i).toFixed(1)},${s.y(value(t, s.k)).toFixed(1)}`).join(' ');
    svg += `<polyline class="pc-trial" data-trial="${t.trial}" points="${pts}" fill="none" stroke="${shade(t.validation)}" stroke-width="2"><title>trial ${t.trial}: ${esc(paramText(t.params))}; ${esc(metric)} ${num(t.validation, 4)}</title></polyline>`;
  });
  scales.forEach((s, i) => {
    svg += `<line class="pc-axis" x1="${x(i)}" y1="${top}" x2="${x(i)}" y2="${bottom}" stroke="#333"/>`
      + `<text x="${x(i)}" y="${H - 15}" text-anchor="middle" font-weight="600">${esc(s.k)}</text>`;
    s.ticks.forEach(t => {
      svg += `<text x="${x(i) + 5}" y="${t.y + 4}" fill="#555">${esc(t.label)}</text>`;
    });
  });
  el.innerHTML = svg + '</svg>';
}

function studyPage() {
  const id = decodeURIComponent(location.pathname.split('/').pop());
  document.getElementById('title').textContent = 'Study ' + id;
  poll(async () => {
    const d = await getJson('/api/studies/' + encodeURIComponent(id));
    const b = d.leaderboard || {};
    const metric = b.metric || 'validation';
    const testMetric = metric.endsWith('auc') ? 'auc' : 'rmse';
    const budget = b.budget || {};
    document.getElementById('summary').textContent = `${d.info.name} · ${d.info.status} · ${d.info.trials} trials x ${(b.seeds || []).length} seed(s) · `
      + `${b.search ? b.search.kind : ''}${b.rungs ? ' over rungs of ' + b.rungs.join(', ') + ' epochs' : ''} · `
      + `${budget.epochs_trained ?? 0} epochs trained of ${budget.full_search_epochs ?? '?'} for every trial to the end`
      + (b.best ? ` · chosen: trial ${b.best.trial} (${paramText(b.best.params)}), ${metric} ${num(b.best.validation, 4)}, test ${testMetric.toUpperCase()} ${meanSdText((b.best.test || {})[testMetric])}` : '');
    // best per kind beside every baseline
    const kinds = b.per_kind || [];
    const baselineNames = kinds.length ? Object.keys(kinds[0].baselines || {}) : [];
    const cols = ['rmse', 'pearson', 'pearson_beyond_mean_effects', 'auc'].filter(m => kinds.some(k => k.test && k.test[m]));
    document.getElementById('per-kind').innerHTML = `<thead><tr><th>Predictor</th><th>Trial</th><th class="num">Epochs</th><th class="num">${esc(metric)}</th>`
      + cols.map(c => `<th class="num">test ${esc(c.replace('pearson_beyond_mean_effects', 'Pearson beyond ME'))}</th>`).join('') + '</tr></thead><tbody>'
      + kinds.map(k => `<tr class="model-kind" data-kind="${esc(k.kind)}"><td><b>${esc(k.kind)}</b></td><td>trial ${k.trial} · ${esc(paramText(k.params))}</td><td class="num">${k.epochs}</td><td class="num">${num(k.validation, 4)}</td>`
        + cols.map(c => `<td class="num">${meanSdText(k.test[c])}</td>`).join('') + '</tr>').join('')
      + baselineNames.map(n => `<tr class="baseline" data-baseline="${esc(n)}"><td>${esc(n)}</td><td class="muted">baseline</td><td></td><td></td>`
        + cols.map(c => `<td class="num">${meanSdText(kinds[0].baselines[n][c])}</td>`).join('') + '</tr>').join('') + '</tbody>';
    // CD diagram
    const cd = b.critical_difference || {};
    document.getElementById('cd').innerHTML = b.cd_svg || '';
    document.getElementById('cd-note').textContent = cd.skipped ? cd.skipped
      : cd.mean_ranks ? `Friedman chi² ${num(cd.friedman_chi2, 2)}, p ${cd.friedman_p < 1e-15 ? '< 1e-15' : '= ' + cd.friedman_p.toPrecision(3)} over ${cd.blocks} drugs; Nemenyi critical difference ${num(cd.critical_difference, 2)} at α = 0.05. Predictors joined by a thick line are not significantly different.`
      : 'Drawn when the study has finished trials of several model kinds.';
    parallelCoordinates(document.getElementById('parallel'), b.parameters || [], b.trials || [], metric, b.lower_is_better !== false);
    // trials table
    const trials = b.trials || [];
    document.getElementById('trials').innerHTML = `<thead><tr><th class="num">Trial</th><th>Parameters</th><th class="num">Rung</th><th class="num">Epochs</th>`
      + `<th class="num">${esc(metric)}</th><th class="num">Test ${testMetric.toUpperCase()}</th><th>Status</th><th>Runs</th></tr></thead><tbody>`
      + trials.map(t => `<tr data-trial="${t.trial}"><td class="num">${t.trial}</td><td>${esc(paramText(t.params))}</td><td class="num">${t.rung < 0 ? '–' : t.rung}</td>`
        + `<td class="num">${t.epochs}</td><td class="num">${num(t.validation, 4)}</td><td class="num">${meanSdText((t.test || {})[testMetric])}</td><td>${esc(t.status)}</td>`
        + `<td>${(t.runs || []).map(r => `<a href="/runs/${encodeURIComponent(r)}">${esc(r.slice(-4))}</a>`).join(' ')}</td></tr>`).join('') + '</tbody>';
    document.body.dataset.trials = String(trials.length);
    document.body.dataset.loaded = 'true';
    return d.info.status === 'running';
  });
}

({runs: runsPage, run: runPage, compare: comparePage, studies: studiesPage, study: studyPage})[document.body.dataset.page]();
