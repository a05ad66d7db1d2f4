// ReplicaSet: NAME DESIRED CURRENT READY AGE | CONTAINERS IMAGES SELECTOR.
import { age } from './age.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { doc } from './descriptions.ts';
import { containerCells, formatLabelSelector } from './format.ts';
import type { KindPrinter } from './types.ts';
import { desiredReplicas, statusCount, type WorkloadLike } from './workloads.ts';

export const replicaSetPrinter: KindPrinter = {
  columns: [
    nameColumn,
    col('Desired', 'integer', doc.rsSpecReplicas),
    col('Current', 'integer', doc.rsStatusReplicas),
    col('Ready', 'integer', doc.rsReadyReplicas),
    ageColumn,
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
    col('Selector', 'string', doc.rsSelector, 1),
  ],
  cells(obj, now) {
    const rs = obj as WorkloadLike;
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
    return [
      rs.metadata.name, desiredReplicas(rs), statusCount(rs, 'replicas'), statusCount(rs, 'readyReplicas'),
      age(rs.metadata.creationTimestamp, now), names, images, formatLabelSelector(rs.spec?.selector),
    ];
  },
};
