// The sample viewer (after leadline.js; DATA is the run's list, see ViewerList.json).
// - Filters: a select per dimension that has more than one value (subset and perturbation where
//   any sample has one) and the outcome buttons; the count says how many samples match.
// - The list shows one page of the matching samples (never 100,000 rows in the DOM).
// - Opening a sample loads its whole row: served, from /sample/N; in a static bundle, from the
//   script samples/NNNNN.js holding its chunk (file:// pages cannot fetch JSON).
// Every text of a model or a dataset is set as textContent, never as markup.
(function () {
  'use strict';
  const list = DATA.list;
  const rows = list.rows;
  const count = list.count;
  const PAGE = 50;
  const OUTCOMES = [['all', 'All'], ['c', 'Correct'], ['i', 'Incorrect'], ['n', 'No answer']];
  const OUTCOME_NAMES = {c: 'correct', i: 'incorrect', n: 'no answer'};
  const EMPTY = {subset: '(none)', perturbation: '(unperturbed)'};
  const LABELS = {model: 'Model', benchmark: 'Benchmark', subset: 'Subset', setting: 'Setting',
                  perturbation: 'Perturbation'};
  const selected = {};
  let outcome = 'all';
  let matches = new Int32Array(0);
  let page = 0;
  let opened = -1;

  const el = (tag, attrs, text) => {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const number = n => n.toLocaleString('en-US');
  const percent = s => s === null ? '—' : (s * 100).toFixed(1);

  // The filters: only dimensions that can split the list.
  const form = document.getElementById('filters');
  Object.keys(LABELS).forEach(dim => {
    const values = list.dims[dim];
    const useful = values.length > 1 || (dim in EMPTY && values.length === 1 && values[0] !== '');
    if (!useful) return;
    const tally = new Array(values.length).fill(0);
    rows[dim].forEach(code => { tally[code]++; });
    const label = el('label', {}, LABELS[dim]);
    const select = el('select', {id: 'filter-' + dim, name: dim});
    select.append(el('option', {value: ''}, 'all (' + number(count) + ')'));
    values.forEach((value, code) => {
      select.append(el('option', {value: String(code)},
        (value === '' ? EMPTY[dim] || '(none)' : value) + ' (' + number(tally[code]) + ')'));
    });
    select.addEventListener('change', () => {
      if (select.value === '') delete selected[dim]; else selected[dim] = parseInt(select.value);
      filter();
    });
    label.append(select);
    form.append(label);
  });
  const outcomes = el('div', {class: 'outcomes', role: 'group', 'aria-label': 'Outcome'});
  const outcomeTally = {all: count, c: 0, i: 0, n: 0};
  for (let i = 0; i < count; i++) outcomeTally[rows.outcome[i]]++;
  OUTCOMES.forEach(([code, name]) => {
    const button = el('button', {type: 'button', 'data-outcome': code,
                                 'aria-pressed': String(code === 'all')},
                      name + ' (' + number(outcomeTally[code]) + ')');
    button.addEventListener('click', () => {
      outcome = code;
      outcomes.querySelectorAll('button').forEach(b => b.setAttribute('aria-pressed', String(b === button)));
      filter();
    });
    outcomes.append(button);
  });
  form.append(outcomes);

  function filter() {
    const dims = Object.keys(selected);
    const codes = dims.map(d => rows[d]);
    const wanted = dims.map(d => selected[d]);
    const found = new Int32Array(count);
    let n = 0;
    outer: for (let i = 0; i < count; i++) {
      if (outcome !== 'all' && rows.outcome[i] !== outcome) continue;
      for (let d = 0; d < codes.length; d++) {
        if (codes[d][i] !== wanted[d]) continue outer;
      }
      found[n++] = i;
    }
    matches = found.subarray(0, n);
    page = 0;
    render();
  }

  const body = document.querySelector('#list tbody');
  const pageLabel = document.getElementById('page');
  const prev = document.getElementById('prev');
  const next = document.getElementById('next');
  prev.addEventListener('click', () => { if (page > 0) { page--; render(); } });
  next.addEventListener('click', () => { if ((page + 1) * PAGE < matches.length) { page++; render(); } });

  const cell = (label, text, cls) => el('td', {'data-label': label, class: cls || 'text'}, text);
  function render() {
    document.getElementById('count').textContent =
      number(matches.length) + ' of ' + number(count) + ' samples match';
    const rowsShown = document.createDocumentFragment();
    const end = Math.min(matches.length, (page + 1) * PAGE);
    for (let k = page * PAGE; k < end; k++) {
      const i = matches[k];
      const subset = list.dims.subset[rows.subset[i]];
      const perturbation = list.dims.perturbation[rows.perturbation[i]];
      const tr = el('tr', {'data-index': String(i), tabindex: '0'});
      if (i === opened) tr.classList.add('open');
      tr.append(
        cell('#', String(i + 1), 'num'),
        cell('Model', list.dims.model[rows.model[i]]),
        cell('Benchmark', list.dims.benchmark[rows.benchmark[i]] + (subset ? ' / ' + subset : '')),
        cell('Setting', list.dims.setting[rows.setting[i]] + (perturbation ? ' · ' + perturbation : '')),
        cell('Example', list.examples[rows.example[i]] + (rows.sample[i] > 0 ? ' #' + rows.sample[i] : '')));
      const o = rows.outcome[i];
      const badge = cell('Outcome', '');
      badge.append(el('span', {class: 'outcome ' + o}, OUTCOME_NAMES[o]));
      tr.append(badge, cell('Score', percent(rows.score[i]), 'num'));
      rowsShown.append(tr);
    }
    body.replaceChildren(rowsShown);
    const pages = Math.max(1, Math.ceil(matches.length / PAGE));
    pageLabel.textContent = matches.length === 0 ? 'no sample matches'
      : number(page * PAGE + 1) + '–' + number(end) + ' (page ' + (page + 1) + ' of ' + number(pages) + ')';
    prev.disabled = page === 0;
    next.disabled = end >= matches.length;
  }
  const openRow = event => {
    const tr = event.target.closest('tr[data-index]');
    if (tr !== null) open(parseInt(tr.dataset.index));
  };
  body.addEventListener('click', openRow);
  body.addEventListener('keydown', event => { if (event.key === 'Enter') openRow(event); });

  // Loading one sample's whole row.
  const chunks = new Map();
  window.leadlineChunk = (index, samples) => {
    const waiting = chunks.get(index);
    if (waiting !== undefined && waiting.resolve !== undefined) waiting.resolve(samples);
  };
  function chunkOf(index) {
    if (!chunks.has(index)) {
      const entry = {};
      entry.promise = new Promise((resolve, reject) => {
        entry.resolve = resolve;
        const script = el('script', {src: 'samples/' + String(index).padStart(5, '0') + '.js'});
        script.onerror = () => { chunks.delete(index); reject(new Error('cannot load ' + script.src)); };
        document.head.append(script);
      });
      chunks.set(index, entry);
    }
    return chunks.get(index).promise;
  }
  function load(i) {
    if (DATA.mode === 'served') {
      return fetch('sample/' + i).then(r => {
        if (!r.ok) return r.text().then(t => { throw new Error(t); });
        return r.json();
      });
    }
    return chunkOf(Math.floor(i / DATA.chunk)).then(samples => samples[i % DATA.chunk]);
  }

  const pane = document.getElementById('sample');
  function open(i) {
    opened = i;
    body.querySelectorAll('tr.open').forEach(tr => tr.classList.remove('open'));
    const tr = body.querySelector('tr[data-index="' + i + '"]');
    if (tr !== null) tr.classList.add('open');
    pane.dataset.state = 'loading';
    pane.replaceChildren(el('p', {class: 'muted'}, 'Loading sample ' + (i + 1) + '…'));
    load(i).then(sample => {
      if (opened === i) show(i, sample);
    }, error => {
      if (opened !== i) return;
      pane.dataset.state = 'failed';
      pane.replaceChildren(el('p', {class: 'notice'}, 'Cannot load sample ' + (i + 1) + ': ' + error.message));
    });
  }

  function show(i, s) {
    const parts = [];
    const where = [s.model, s.benchmark + (s.subset ? ' / ' + s.subset : ''), s.setting]
      .concat(s.perturbation ? [s.perturbation] : []).join(' · ');
    parts.push(el('h2', {}, 'Sample ' + (i + 1) + ': ' + where));
    const facts = el('dl', {class: 'facts'});
    const fact = (name, value, cls) => {
      if (value === null || value === undefined || value === '') return;
      facts.append(el('dt', {}, name));
      const dd = el('dd', cls ? {class: cls} : {});
      if (value instanceof Node) dd.append(value); else dd.textContent = String(value);
      facts.append(dd);
    };
    const pre = (text, cls) => el('pre', {class: 'wrap ' + cls}, text);
    const o = rows.outcome[i];
    const badge = el('span', {class: 'outcome ' + o}, OUTCOME_NAMES[o]);
    fact('Example', s.example_id + (s.sample_index > 0 ? ', sample ' + s.sample_index : ''));
    fact('Outcome', badge, 'outcome-fact');
    // The primary metric's score first; the others (a judged metric has many) folded away.
    const metric = (list.primary[s.benchmark] || {})[s.setting];
    const scores = Object.entries(s.scores || {});
    const main = scores.find(([m]) => m === metric) || scores[0];
    const others = scores.filter(e => e !== main);
    const scoreBox = el('span');
    if (main !== undefined) scoreBox.append(el('b', {}, main[1].toFixed(4)), ' ' + main[0]);
    else scoreBox.append('not scored');
    if (others.length > 0) {
      const more = el('details', {class: 'scores'});
      more.append(el('summary', {}, others.length + ' more'),
        el('ul', {}, undefined));
      others.forEach(([m, v]) => more.lastChild.append(el('li', {}, m + ' ' + v.toFixed(4))));
      scoreBox.append(more);
    }
    fact('Score', scoreBox, 'score');
    fact('Gold', pre(s.gold, 'gold'));
    fact('Extracted answer', s.extracted === null ? 'none' : pre(s.extracted, 'extracted'));
    fact('Why', s.explanation || s.no_answer_reason, 'why');
    fact('No answer because', s.explanation ? s.no_answer_reason : null, 'no-answer');
    fact('Error', s.error, 'error');
    fact('Executed', s.passed === null || s.passed === undefined ? null
      : (s.passed ? 'passed' : 'failed') + (s.exec_result ? ': ' + s.exec_result : ''));
    fact('Tokens', s.request_prompt_tokens === null && s.request_completion_tokens === null ? null
      : 'prompt ' + (s.request_prompt_tokens ?? '—') + ', completion ' + (s.request_completion_tokens ?? '—'),
      'tokens');
    fact('Latency', s.request_latency_ms === null ? null
      : number(s.request_latency_ms) + ' ms' + (s.request_attempts > 1 ? ' (' + s.request_attempts + ' attempts)' : ''),
      'latency');
    fact('Finish', s.finish_reason ? s.finish_reason + (s.truncated ? ' (truncated)' : '') : null);
    fact('Shots', String(s.shots_used));
    fact('Reported model', s.reported_model);
    parts.push(facts);
    parts.push(el('h3', {}, 'Prompt'), pre(s.prompt, 'prompt'));
    parts.push(el('h3', {}, 'Completion'),
      s.completion === null ? el('p', {class: 'muted'}, 'none (the request failed)') : pre(s.completion, 'completion'));
    const judgements = s.judgements || [];
    if (judgements.length > 0) {
      parts.push(el('h3', {}, judgements.length === 1 ? 'The judge' : 'The judges'));
      judgements.forEach(j => {
        const box = el('div', {class: 'judgement', 'data-judge': j.judge});
        const grades = j.no_grade ? 'no grade (' + j.no_grade + ')'
          : Object.entries(j.grades).map(([k, v]) => k + ' ' + v).join(', ');
        box.append(el('h4', {}, j.judge), el('p', {class: 'grades'}, grades), pre(j.reply, 'reply'));
        parts.push(box);
      });
    }
    const options = s.options || [];
    if (options.length > 0) {
      parts.push(el('h3', {}, 'Options by likelihood'));
      const table = el('table', {class: 'scores options'});
      table.append(el('thead'));
      table.tHead.append(el('tr'));
      ['Option', 'Continuation', 'Log-probability', 'Tokens'].forEach((h, k) =>
        table.tHead.rows[0].append(el('th', k < 2 ? {class: 'text'} : {}, h)));
      const tbody = el('tbody');
      options.forEach(op => {
        const tr = el('tr');
        tr.append(cell('Option', op.letter), cell('Continuation', op.continuation),
          cell('Log-probability', op.logprob.toFixed(3), 'num'), cell('Tokens', String(op.tokens), 'num'));
        tbody.append(tr);
      });
      table.append(tbody);
      parts.push(table);
    }
    pane.replaceChildren(...parts);
    pane.dataset.state = 'shown';
    pane.dataset.index = String(i);
    if (window.matchMedia('(max-width: 64rem)').matches) pane.scrollIntoView({block: 'start'});
  }

  filter();
  document.body.dataset.charts = 0;
  document.body.dataset.listed = String(Math.round(performance.now()));
})();
