// DaemonSet: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE | CONTAINERS IMAGES SELECTOR.
import { age } from './age.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { doc } from './descriptions.ts';
import { containerCells, formatLabels, formatLabelSelector } from './format.ts';
import type { KindPrinter } from './types.ts';
import { statusCount, type WorkloadLike } from './workloads.ts';

export const daemonSetPrinter: KindPrinter = {
  columns: [
    nameColumn,
    col('Desired', 'integer', doc.dsDesired),
    col('Current', 'integer', doc.dsCurrent),
    col('Ready', 'integer', doc.dsReady),
    col('Up-to-date', 'integer', doc.dsUpdated),
    col('Available', 'integer', doc.dsAvailable),
    col('Node Selector', 'string', doc.nodeSelector),
    ageColumn,
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
    col('Selector', 'string', doc.dsSelector, 1),
  ],
  cells(obj, now) {
    const ds = obj as WorkloadLike;
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    return [
      ds.metadata.name,
      statusCount(ds, 'desiredNumberScheduled'), statusCount(ds, 'currentNumberScheduled'), statusCount(ds, 'numberReady'),
      statusCount(ds, 'updatedNumberScheduled'), statusCount(ds, 'numberAvailable'),
      formatLabels(ds.spec?.template?.spec?.nodeSelector), age(ds.metadata.creationTimestamp, now),
      names, images, formatLabelSelector(ds.spec?.selector),
    ];
  },
};
