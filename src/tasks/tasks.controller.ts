import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../access/auth.decorators';
import { ROLES } from '../access/domain/roles';
import { Actor, CurrentActor } from '../common/context';
import { TasksService } from './tasks.service';
import { TasksView } from './tasks.views';

@ApiTags('tasks')
@Controller('api/v1/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({
    summary: 'What waits for me',
    description:
      'One group per kind of step the caller’s roles take (an empty group when nothing waits; none for roles that take no ' +
      'step, such as auditor): `count` of all the caller may act on — in their scope, not refused them by maker-checker ' +
      '(not their own draft or proposal, not a claim step after an earlier step of the same claim version, not the payment ' +
      'of a claim they approved) — and the first 20, the longest waiting first (alerts: red first, then the oldest).',
  })
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: TasksView })
  mine(@CurrentActor() actor: Actor): Promise<TasksView> {
    return this.tasks.mine(actor);
  }
}
