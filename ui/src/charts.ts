/**
 * The dashboard's charts, with Apache ECharts — what Chinese government dashboards are built
 * with. Imported piece by piece from echarts/core (bar charts, a grid, tooltip, legend, the
 * canvas renderer) so the bundle carries only these, and loaded only when the dashboard opens
 * (a chunk of its own, ui/build.ts). Tooltips draw on the canvas (renderMode richText): ECharts'
 * HTML tooltips write inline style attributes, which the Content-Security-Policy forbids.
 */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface BarSeries {
  name: string;
  color: string;
  values: number[];
}

/**
 * Horizontal bars (readable on a 390 px screen, long Chinese names on the axis), one group per
 * category. `onPick` gets the series and category clicked. Returns a function that disposes it.
 */
export function barChart(el: HTMLElement, o: { categories: string[]; series: BarSeries[]; onPick: (series: number, category: number) => void }): () => void {
  el.style.height = `${Math.max(160, 60 + o.categories.length * (18 + 14 * o.series.length))}px`;
  const chart = echarts.init(el, undefined, { renderer: 'canvas' });
  chart.setOption({
    animation: false,
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 12 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText', confine: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 11 } },
    yAxis: { type: 'category', inverse: true, data: o.categories, axisLabel: { fontSize: 12, width: 120, overflow: 'truncate' } },
    series: o.series.map((s) => ({ type: 'bar', name: s.name, data: s.values, itemStyle: { color: s.color }, barMaxWidth: 14, label: { show: true, position: 'right', fontSize: 11 }, cursor: 'pointer' })),
  });
  chart.on('click', (p) => o.onPick(p.seriesIndex ?? 0, p.dataIndex));
  const resize = () => chart.resize();
  window.addEventListener('resize', resize);
  return () => {
    window.removeEventListener('resize', resize);
    chart.dispose();
  };
}
