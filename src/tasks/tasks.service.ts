import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { Actor } from '../common/context';
import { TASK_KIND_LIST } from './kinds';
import { TaskKind } from './task-kind';
import { TASK_KINDS, TaskGroupView, TasksView } from './tasks.views';

/** The kinds a person's roles take. */
export function kindsFor(actor: Pick<Actor, 'roles'>, kinds: readonly TaskKind[] = TASK_KIND_LIST): TaskKind[] {
  return kinds.filter((k) => k.roles.some((r) => actor.roles.includes(r)));
}

/**
 * What waits for the signed-in person (the console's home page): one group per kind their roles take, each the
 * count of what they may act on and the longest waiting. Reads only; one query per kind.
 */
@Injectable()
export class TasksService implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const listed = TASK_KIND_LIST.map((k) => k.kind);
    if (listed.join() !== TASK_KINDS.join()) throw new Error(`task kinds ${listed.join(', ')} do not follow TASK_KINDS (${TASK_KINDS.join(', ')})`);
  }

  async mine(actor: Actor): Promise<TasksView> {
    const userId = actor.userId;
    if (userId === null) return { groups: [] };
    const ctx = { db: this.ds, actor: { ...actor, userId }, today: this.clock.today() };
    const groups: TaskGroupView[] = [];
    for (const k of kindsFor(actor)) groups.push({ kind: k.kind, ...(await k.waiting(ctx)) });
    return { groups };
  }
}
