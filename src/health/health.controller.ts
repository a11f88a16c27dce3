import { Controller, Get, HttpException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../access/auth.decorators';

export class HealthView {
  @ApiProperty({ example: 'ok' }) status: string;
  @ApiProperty({ example: { status: 'up', migrations: 'current' } }) database: { status: string; migrations: string };
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly ds: DataSource) {}

  @Get()
  @ApiOperation({
    summary: 'Health of the service and its database',
    description: 'Public. 503 when the database does not answer; `migrations` says whether the schema is current.',
  })
  @Public()
  @ApiOkResponse({ type: HealthView })
  async health(): Promise<HealthView> {
    try {
      await this.ds.query('SELECT 1');
      const pending = await this.ds.showMigrations();
      return { status: 'ok', database: { status: 'up', migrations: pending ? 'pending' : 'current' } };
    } catch {
      throw new HttpException({ status: 'error', database: { status: 'down', migrations: 'unknown' } }, 503);
    }
  }
}
