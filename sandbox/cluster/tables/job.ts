// Job: NAME STATUS COMPLETIONS DURATION AGE | CONTAINERS IMAGES SELECTOR; CronJob: NAME SCHEDULE
// TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE | CONTAINERS IMAGES SELECTOR (printers.go printJob,
// printCronJob, 1.32).
import type { KubeObject } from '../contracts.ts';
import { age, humanDuration } from './age.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { containerCells, formatLabelSelector } from './format.ts';
import type { KindPrinter } from './types.ts';
import type { WorkloadLike } from './workloads.ts';

const SUCCEEDED_DOC = 'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.';
const SELECTOR_DOC = 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors';
const wide = [
  col('Containers', 'string', 'Names of each container in the template.', 1),
  col('Images', 'string', 'Images referenced by each container in the template.', 1),
  col('Selector', 'string', SELECTOR_DOC, 1),
];

interface JobLike extends KubeObject {
  spec?: WorkloadLike['spec'] & { completions?: number; parallelism?: number };
  status?: { succeeded?: number; startTime?: string; completionTime?: string; conditions?: Array<{ type: string; status: string }> };
}

const has = (j: JobLike, type: string) => (j.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

function jobStatus(j: JobLike): string {
  if (has(j, 'Complete')) return 'Complete';
  if (has(j, 'Failed')) return 'Failed';
  if (j.metadata.deletionTimestamp) return 'Terminating';
  if (has(j, 'Suspended')) return 'Suspended';
  if (has(j, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export const jobPrinter: KindPrinter = {
  columns: [
    nameColumn,
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', SUCCEEDED_DOC),
    col('Duration', 'string', 'Time required to complete the job.'),
    ageColumn,
    ...wide,
  ],
  cells(obj, now) {
    const j = obj as JobLike;
    const succeeded = j.status?.succeeded ?? 0;
    const parallelism = j.spec?.parallelism ?? 0;
    const completions = typeof j.spec?.completions === 'number'
      ? `${succeeded}/${j.spec.completions}`
      : parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
    const start = j.status?.startTime ? Date.parse(j.status.startTime) : undefined;
    const end = j.status?.completionTime ? Date.parse(j.status.completionTime) : now.getTime();
    const duration = start === undefined ? '' : humanDuration(end - start);
    const [names, images] = containerCells(j.spec?.template?.spec?.containers);
    return [
      j.metadata.name, jobStatus(j), completions, duration, age(j.metadata.creationTimestamp, now),
      names, images, formatLabelSelector(j.spec?.selector),
    ];
  },
};

interface CronJobLike extends KubeObject {
  spec?: { schedule?: string; timeZone?: string; suspend?: boolean; jobTemplate?: { spec?: JobLike['spec'] } };
  status?: { active?: unknown[]; lastScheduleTime?: string };
}

export const cronJobPrinter: KindPrinter = {
  columns: [
    nameColumn,
    col('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process.'),
    col('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.'),
    col('Active', 'integer', 'A list of pointers to currently running jobs.'),
    col('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn,
    ...wide,
  ],
  cells(obj, now) {
    const c = obj as CronJobLike;
    const s = c.spec ?? {};
    const [names, images] = containerCells(s.jobTemplate?.spec?.template?.spec?.containers);
    return [
      c.metadata.name, s.schedule ?? '', s.timeZone ?? '<none>',
      s.suspend === undefined ? '<unset>' : s.suspend ? 'True' : 'False',
      (c.status?.active ?? []).length,
      c.status?.lastScheduleTime ? age(c.status.lastScheduleTime, now) : '<none>',
      age(c.metadata.creationTimestamp, now),
      names, images, formatLabelSelector(s.jobTemplate?.spec?.selector),
    ];
  },
};
