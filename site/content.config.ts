// The chapter as Astro content collections over lessons/, validated at build time by the same
// zod schemas the lab's lesson loader uses (sandbox/checks/lesson-schema.ts): a lesson the
// build accepts is one `coredns-lab check` accepts. Each entry's id is its lesson's folder name.
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { chapterIndexSchema, lessonFrontSchema, stepsSchema } from '../sandbox/checks/lesson-schema.ts';

const base = './lessons';
const folder = ({ entry }: { entry: string }) => entry.split('/')[0]!;

export const collections = {
  /** lessons/index.yaml: the chapter's title and the lessons in order (one entry, "index") */
  chapter: defineCollection({ loader: glob({ pattern: 'index.yaml', base, generateId: () => 'index' }), schema: chapterIndexSchema }),
  /** lessons/<id>/lesson.md: title and summary, then the introduction (the entry's body) */
  lessons: defineCollection({ loader: glob({ pattern: '*/lesson.md', base, generateId: folder }), schema: lessonFrontSchema }),
  /** lessons/<id>/steps.yaml: the steps */
  steps: defineCollection({ loader: glob({ pattern: '*/steps.yaml', base, generateId: folder }), schema: stepsSchema }),
};
