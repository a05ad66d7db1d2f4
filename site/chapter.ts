// The chapter from the content collections (content.config.ts), in the shape the lesson
// renderer takes: the build-time side of what sandbox/checks/load-lessons.ts does per request.
import { getCollection, getEntry } from 'astro:content';
import type { Chapter } from '../sandbox/checks/schema.ts';

export async function loadChapter(): Promise<Chapter> {
  const index = await getEntry('chapter', 'index');
  if (!index) throw new Error('lessons/index.yaml: missing; it lists the chapter\'s lessons in order');
  const lessons = new Map((await getCollection('lessons')).map((e) => [e.id, e]));
  const steps = new Map((await getCollection('steps')).map((e) => [e.id, e.data]));
  return {
    title: index.data.title,
    lessons: index.data.lessons.map((id) => {
      const lesson = lessons.get(id);
      const s = steps.get(id);
      if (!lesson || !s) throw new Error(`lessons/index.yaml: lists "${id}", but lessons/${id}/ has no ${lesson ? 'steps.yaml' : 'lesson.md'}`);
      return { id, title: lesson.data.title, summary: lesson.data.summary, intro: (lesson.body ?? '').trim(), steps: s };
    }),
  };
}
