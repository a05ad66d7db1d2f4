// StatefulSet: NAME READY AGE | CONTAINERS IMAGES.
import { age } from './age.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { containerCells } from './format.ts';
import type { KindPrinter } from './types.ts';
import { desiredReplicas, statusCount, type WorkloadLike } from './workloads.ts';

export const statefulSetPrinter: KindPrinter = {
  columns: [
    nameColumn,
    col('Ready', 'string', 'Number of the pod with ready state'),
    ageColumn,
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
  ],
  cells(obj, now) {
    const sts = obj as WorkloadLike;
    const [names, images] = containerCells(sts.spec?.template?.spec?.containers);
    return [sts.metadata.name, `${statusCount(sts, 'readyReplicas')}/${desiredReplicas(sts)}`, age(sts.metadata.creationTimestamp, now), names, images];
  },
};
