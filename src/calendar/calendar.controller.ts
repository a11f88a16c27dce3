import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../access/auth.decorators';
import { ROLES } from '../access/domain/roles';
import { Actor, CurrentActor } from '../common/context';
import { IdPipe } from '../common/ids';
import {
  CalendarChangeQueryDto,
  CalendarChangeView,
  CalendarQueryDto,
  CalendarView,
  ProposeCalendarChangeDto,
  RejectCalendarChangeDto,
  WorkingDaysQueryDto,
  WorkingDaysView,
} from './calendar.dto';
import { CalendarService } from './calendar.service';

@ApiTags('calendar')
@Controller('api/v1/calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get()
  @ApiOperation({
    summary: "The county calendar's exceptions in a year",
    description:
      'The holidays on weekdays and the worked Saturdays and Sundays of `year` (default this year); every other day follows the default rule, Monday–Friday work. A year whose State Council notice is not loaded yet lists nothing.',
  })
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: CalendarView })
  year(@CurrentActor() actor: Actor, @Query() q: CalendarQueryDto): Promise<CalendarView> {
    return this.calendar.year(actor, q.year);
  }

  @Get('working-days')
  @ApiOperation({
    summary: 'The date a number of working days after another',
    description: 'The `days`-th working day after `from` (`from` itself is never counted; 0 answers `from`), in the county calendar.',
  })
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: WorkingDaysView })
  workingDays(@CurrentActor() actor: Actor, @Query() q: WorkingDaysQueryDto): Promise<WorkingDaysView> {
    return this.calendar.workingDays(actor, q);
  }

  @Get('changes')
  @ApiOperation({ summary: 'List proposed, approved and rejected calendar changes' })
  @Authenticated('admin', 'auditor')
  @ApiOkResponse({ type: [CalendarChangeView] })
  list(@CurrentActor() actor: Actor, @Query() q: CalendarChangeQueryDto): Promise<CalendarChangeView[]> {
    return this.calendar.list(actor, q);
  }

  @Post('changes')
  @ApiOperation({
    summary: 'Propose a change of one day of the calendar',
    description:
      'Make a day a holiday or a worked weekend day, rename it, or return it to the default rule; a different admin approves it. One pending change per day.',
  })
  @Authenticated('admin')
  @ApiCreatedResponse({ type: CalendarChangeView, description: 'A proposal; the day changes once a different admin approves it' })
  propose(@CurrentActor() actor: Actor, @Body() dto: ProposeCalendarChangeDto): Promise<CalendarChangeView> {
    return this.calendar.propose(actor, dto);
  }

  @Post('changes/:id/approve')
  @ApiOperation({ summary: 'Approve a calendar change', description: 'An admin who did not propose it (403 SAME_HAND); the day changes at once.' })
  @HttpCode(200)
  @Authenticated('admin')
  @ApiOkResponse({ type: CalendarChangeView })
  approve(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<CalendarChangeView> {
    return this.calendar.approve(actor, id);
  }

  @Post('changes/:id/reject')
  @ApiOperation({ summary: 'Reject a calendar change', description: 'An admin who did not propose it (403 SAME_HAND), with a reason; the day stays as it is.' })
  @HttpCode(200)
  @Authenticated('admin')
  @ApiOkResponse({ type: CalendarChangeView })
  reject(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: RejectCalendarChangeDto): Promise<CalendarChangeView> {
    return this.calendar.reject(actor, id, dto);
  }
}
