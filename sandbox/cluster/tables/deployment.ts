// Deployment: NAME READY UP-TO-DATE AVAILABLE AGE | CONTAINERS IMAGES SELECTOR.
import { age } from './age.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { doc } from './descriptions.ts';
import { containerCells, selectorString } from './format.ts';
import type { KindPrinter } from './types.ts';
import { desiredReplicas, statusCount, type WorkloadLike } from './workloads.ts';

export const deploymentPrinter: KindPrinter = {
  columns: [
    nameColumn,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', doc.depUpdated),
    col('Available', 'string', doc.depAvailable),
    ageColumn,
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
    col('Selector', 'string', doc.depSelector, 1),
  ],
  cells(obj, now) {
    const d = obj as WorkloadLike;
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    return [
      d.metadata.name,
      `${statusCount(d, 'readyReplicas')}/${desiredReplicas(d)}`,
      statusCount(d, 'updatedReplicas'),
      statusCount(d, 'availableReplicas'),
      age(d.metadata.creationTimestamp, now),
      names, images, selectorString(d.spec?.selector),
    ];
  },
};
