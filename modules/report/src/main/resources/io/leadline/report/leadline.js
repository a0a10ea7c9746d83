// Leadline's one script, inlined into every page after Chart.js (where the page draws charts).
// - table.sortable: a click on a heading sorts the rows by that column (scores by their value,
//   best first; text A to Z), within groups: rows sharing data-group stay together, and the
//   group's spanning cell (td.group) moves to its new first row.
// - Chart.js plugin "whiskers": a dataset with errorBars ([low, high] per bar, in the data's
//   units) gets each interval drawn on its own bar, the value axis widened to hold them, and the
//   interval in the tooltip.
(function () {
  'use strict';
  const cellsOf = row => Array.from(row.cells).filter(c => !c.classList.contains('group'));
  const keyOf = (row, column) => {
    const cell = cellsOf(row)[column];
    if (cell === undefined) {
      return '';
    }
    return cell.dataset.sort !== undefined ? parseFloat(cell.dataset.sort) : cell.textContent.trim();
  };
  function sort(table, th, column) {
    const numeric = Array.from(table.tBodies[0].rows)
      .some(r => { const c = cellsOf(r)[column]; return c !== undefined && c.dataset.sort !== undefined; });
    const first = th.dataset.order === undefined;
    const ascending = first ? !numeric : th.dataset.order === 'descending';
    table.querySelectorAll('th[data-order]').forEach(h => { delete h.dataset.order; });
    th.dataset.order = ascending ? 'ascending' : 'descending';
    const body = table.tBodies[0];
    const groups = [];
    Array.from(body.rows).forEach(row => {
      const last = groups[groups.length - 1];
      if (last !== undefined && last.name === row.dataset.group) {
        last.rows.push(row);
      } else {
        groups.push({name: row.dataset.group, rows: [row]});
      }
    });
    groups.forEach(group => {
      const head = group.rows[0].querySelector('td.group');
      group.rows.sort((a, b) => {
        const x = keyOf(a, column), y = keyOf(b, column);
        const d = typeof x === 'number' && typeof y === 'number'
          ? x - y : String(x).localeCompare(String(y));
        return ascending ? d : -d;
      });
      group.rows.forEach(r => body.appendChild(r));
      if (head !== null) {
        group.rows[0].insertBefore(head, group.rows[0].firstChild);
      }
    });
  }
  document.querySelectorAll('table.sortable').forEach(table => {
    Array.from(table.tHead.rows[0].cells)
      .filter(th => !th.classList.contains('group'))
      .forEach((th, column) => {
        th.classList.add('sortable');
        th.title = 'sort by this column';
        th.addEventListener('click', () => sort(table, th, column));
      });
  });

  if (typeof Chart === 'undefined') {
    return;
  }
  const valueAxis = (chart, meta) => chart.options.indexAxis === 'y' ? meta.xAxisID : meta.yAxisID;
  const bars = chart => chart.data.datasets
    .map((dataset, index) => ({dataset, index}))
    .filter(d => Array.isArray(d.dataset.errorBars));
  Chart.register({
    id: 'whiskers',
    afterDataLimits(chart, args) {
      bars(chart).forEach(({dataset, index}) => {
        if (valueAxis(chart, chart.getDatasetMeta(index)) !== args.scale.id) {
          return;
        }
        dataset.errorBars.forEach(range => {
          if (Array.isArray(range) && range[0] !== null && range[1] !== null) {
            args.scale.min = Math.min(args.scale.min, range[0]);
            args.scale.max = Math.max(args.scale.max, range[1]);
          }
        });
      });
    },
    afterDatasetsDraw(chart) {
      const ctx = chart.ctx;
      const horizontal = chart.options.indexAxis === 'y';
      bars(chart).forEach(({dataset, index}) => {
        if (!chart.isDatasetVisible(index)) {
          return;
        }
        const meta = chart.getDatasetMeta(index);
        const scale = chart.scales[valueAxis(chart, meta)];
        ctx.save();
        ctx.strokeStyle = dataset.whiskerColor || '#1f2328';
        ctx.lineWidth = 1.5;
        meta.data.forEach((bar, j) => {
          const range = dataset.errorBars[j];
          if (!Array.isArray(range) || range[0] === null || range[1] === null
              || dataset.data[j] === null || dataset.data[j] === undefined) {
            return;
          }
          const low = scale.getPixelForValue(range[0]);
          const high = scale.getPixelForValue(range[1]);
          const cap = Math.max(3, Math.min(8, (horizontal ? bar.height : bar.width) / 4));
          ctx.beginPath();
          if (horizontal) {
            ctx.moveTo(low, bar.y); ctx.lineTo(high, bar.y);
            ctx.moveTo(low, bar.y - cap); ctx.lineTo(low, bar.y + cap);
            ctx.moveTo(high, bar.y - cap); ctx.lineTo(high, bar.y + cap);
          } else {
            ctx.moveTo(bar.x, low); ctx.lineTo(bar.x, high);
            ctx.moveTo(bar.x - cap, low); ctx.lineTo(bar.x + cap, low);
            ctx.moveTo(bar.x - cap, high); ctx.lineTo(bar.x + cap, high);
          }
          ctx.stroke();
        });
        ctx.restore();
      });
    }
  });
  const colours = {up: '#2e7d32', down: '#c62828', flat: '#9e9e9e'};
  // The charts more than one page draws. seesaw: {title, benchmarks: [{benchmark, delta, low,
  // high, direction}]} in points, each delta's interval drawn on its bar.
  window.leadline = {
    options: {responsive: true, maintainAspectRatio: false, animation: false},
    seesaw(canvas, seesaw) {
      return new Chart(canvas, {type: 'bar',
        data: {labels: seesaw.benchmarks.map(b => b.benchmark), datasets: [
          {label: 'Δ (points) with its 95% interval', data: seesaw.benchmarks.map(b => b.delta),
           errorBars: seesaw.benchmarks.map(b => [b.low, b.high]),
           backgroundColor: seesaw.benchmarks.map(b => colours[b.direction] || colours.flat)}]},
        options: {...window.leadline.options,
                  plugins: {title: {display: true, text: seesaw.title}, legend: {display: false}}}});
    }
  };
  Chart.defaults.plugins.tooltip.callbacks.afterLabel = item => {
    const range = Array.isArray(item.dataset.errorBars) ? item.dataset.errorBars[item.dataIndex] : null;
    return Array.isArray(range) && range[0] !== null ? '95% interval [' + range[0] + ', ' + range[1] + ']' : '';
  };
})();
