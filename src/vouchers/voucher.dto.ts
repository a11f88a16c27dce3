import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../common/pagination';

export class VoucherQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['draft', 'posted'] })
  @IsOptional()
  @IsIn(['draft', 'posted'])
  state?: 'draft' | 'posted';

  @ApiPropertyOptional({ enum: ['posting', 'reversal'] })
  @IsOptional()
  @IsIn(['posting', 'reversal'])
  kind?: 'posting' | 'reversal';

  @ApiPropertyOptional({ description: 'The `cursor` of the last row of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;
}
