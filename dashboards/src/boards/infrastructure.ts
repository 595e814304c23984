/**
 * For operations: the hosts' CPU, memory, disk and network, from the
 * collector's host metrics. These series carry no service or environment
 * label, so this dashboard has no variables.
 */
import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { HOST, RECORDED as R, THRESHOLDS } from '@o4o/alerting';
import { timeseries } from '../panels';
import { baseDashboard } from './common';

const rate = (series: string): string => `rate(${series}[$__rate_interval])`;

export function infrastructureDashboard(): Dashboard {
  return baseDashboard('infrastructure', 'Host CPU, memory, disk and network (collector host metrics).')
    .withRow(new RowBuilder('CPU and memory'))
    .withPanel(
      timeseries({
        title: 'CPU by state',
        description: 'Share of all logical CPUs spent in each state.',
        unit: 'percentunit',
        min: 0,
        queries: [{ expr: `sum by (host_name, state) (${rate(`${HOST.cpuTime}{state!="idle"}`)})\n/ on (host_name) group_left sum by (host_name) (${HOST.cpuLogicalCount})`, legend: '{{host_name}} {{state}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Load average (1 min) per CPU',
        description: 'Runnable tasks per logical CPU; above 1 the host is saturated.',
        unit: 'short',
        queries: [{ expr: `sum by (host_name) (${HOST.load1}) / sum by (host_name) (${HOST.cpuLogicalCount})`, legend: '{{host_name}} load per CPU' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Memory used',
        description: `Memory in use, not cache or buffers; the medium alert fires above ${THRESHOLDS.memoryUsed * 100}% for 15 minutes.`,
        unit: 'percentunit',
        min: 0,
        max: 1,
        queries: [{ expr: R.memoryUsed, legend: '{{host_name}} used' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Memory by state',
        description: 'Bytes used, cached, buffered and free.',
        unit: 'bytes',
        queries: [{ expr: `sum by (host_name, state) (${HOST.memoryUsage})`, legend: '{{host_name}} {{state}}' }],
      }),
    )
    .withRow(new RowBuilder('Disk'))
    .withPanel(
      timeseries({
        title: 'Free space by filesystem',
        description: `Share free per mount point; high alert below ${THRESHOLDS.diskFreeHigh * 100}% for 15 minutes, low below ${THRESHOLDS.diskFreeLow * 100}% for an hour.`,
        unit: 'percentunit',
        min: 0,
        max: 1,
        queries: [{ expr: R.filesystemFree, legend: '{{host_name}} {{mountpoint}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Disk throughput',
        description: 'Bytes read and written per second, all disks.',
        unit: 'Bps',
        queries: [{ expr: `sum by (host_name, direction) (${rate(HOST.diskIo)})`, legend: '{{host_name}} {{direction}}' }],
      }),
    )
    .withRow(new RowBuilder('Network'))
    .withPanel(
      timeseries({
        title: 'Network throughput',
        description: 'Bytes per second received and transmitted, loopback excluded.',
        unit: 'Bps',
        queries: [{ expr: `sum by (host_name, direction) (${rate(`${HOST.networkIo}{device!="lo"}`)})`, legend: '{{host_name}} {{direction}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Network errors and drops',
        description: 'Packets in error or dropped per second.',
        unit: 'pps',
        queries: [
          { expr: `sum by (host_name, direction) (${rate(HOST.networkErrors)})`, legend: '{{host_name}} errors {{direction}}' },
          { expr: `sum by (host_name, direction) (${rate(HOST.networkDropped)})`, legend: '{{host_name}} dropped {{direction}}' },
        ],
      }),
    )
    .build();
}
