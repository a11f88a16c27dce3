import { ApiProperty } from '@nestjs/swagger';

export class AllocationProjectRow {
  @ApiProperty() projectId: number;
  @ApiProperty() name: string;
  @ApiProperty() allocated: string;
}

export class AllocationReport {
  @ApiProperty() allocationId: number;
  @ApiProperty() documentNumber: string;
  @ApiProperty() fundType: string;
  @ApiProperty() fiscalYear: number;
  @ApiProperty() received: string;
  @ApiProperty() allocated: string;
  @ApiProperty() committed: string;
  @ApiProperty() spent: string;
  @ApiProperty() available: string;
  @ApiProperty({ type: [AllocationProjectRow] }) projects: AllocationProjectRow[];
}

export class ProjectSourceRow {
  @ApiProperty() allocationId: number;
  @ApiProperty() documentNumber: string;
  @ApiProperty() fundType: string;
  @ApiProperty() allocated: string;
}

export class ProjectReport {
  @ApiProperty() projectId: number;
  @ApiProperty() name: string;
  @ApiProperty() category: string;
  @ApiProperty() state: string;
  @ApiProperty() budget: string;
  @ApiProperty() committed: string;
  @ApiProperty() spent: string;
  @ApiProperty() retentionHeld: string;
  @ApiProperty() available: string;
  @ApiProperty({ type: [ProjectSourceRow] }) sources: ProjectSourceRow[];
}

export class CountyReportRow {
  @ApiProperty() fiscalYear: number;
  @ApiProperty() fundType: string;
  @ApiProperty() allocations: number;
  @ApiProperty() received: string;
  @ApiProperty() allocated: string;
  @ApiProperty() available: string;
}
