import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The kinds of work that wait for someone, in the order the home page lists them. */
export const TASK_KINDS = [
  'voucher_approval',
  'claim_township_review',
  'claim_line_review',
  'claim_approval',
  'claim_leader_sign',
  'claim_payment',
  'claim_rework',
  'budget_line_signature',
  'retention_approval',
  'policy_approval',
  'calendar_approval',
  'notice_approval',
  'alert',
] as const;
export type TaskKindName = (typeof TASK_KINDS)[number];

export class TaskView {
  @ApiProperty({ enum: TASK_KINDS }) kind: TaskKindName;
  @ApiProperty({ description: 'The id of the record waiting (a voucher’s UUID, or a number as a string)', example: '42' }) id: string;
  @ApiProperty({ description: 'One short line in Chinese', example: '通村公路 1 報帳 50000.00 元' }) title: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '50000.00' }) amount: string | null;
  @ApiProperty({ description: 'When it began to wait (ISO 8601)', example: '2026-06-25T02:00:00.000Z' }) since: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Where it comes from or who sent it', example: '溫泉鎮 溫泉鎮一村' }) detail: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The record the step is taken on, where it is not the waiting one: the project of a budget line, the contract of a retention movement',
    example: '31',
  })
  parentId: string | null;
}

export class TaskGroupView {
  @ApiProperty({ enum: TASK_KINDS }) kind: TaskKindName;
  @ApiProperty({ description: 'How many wait in all' }) count: number;
  @ApiProperty({ type: [TaskView], description: 'The first 20 (alerts: red first), the longest waiting first' }) items: TaskView[];
}

export class TasksView {
  @ApiProperty({ type: [TaskGroupView], description: 'One group per kind the user’s roles take, empty ones included' }) groups: TaskGroupView[];
}
