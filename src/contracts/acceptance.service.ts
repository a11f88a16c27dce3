import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { assertNewHand } from '../access/domain/maker-checker';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { pgErrorOf } from '../database/pg-errors';
import { IdRow, col, selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { ProjectsService } from '../projects/projects.service';
import { PoliciesService } from '../policies/policies.service';
import { Clock } from '../common/clock';
import { findContract } from './contract-loader';
import { DEPARTMENTS, DEPARTMENT_ROLE, Department, acceptanceOutcome, requiredDepartments } from './domain/acceptance';

export class OpenAcceptanceDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  contractId: number;

  @ApiProperty({ example: '實際完成硬化3.1公里，寬4.5米，質量合格' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  scaleStatement: string;
}

export class SignoffDto {
  @ApiProperty({ enum: DEPARTMENTS })
  @IsIn(DEPARTMENTS)
  department: Department;

  @ApiProperty({ enum: ['pass', 'fail'] })
  @IsIn(['pass', 'fail'])
  result: 'pass' | 'fail';

  @ApiProperty({ example: '符合設計要求' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  notes: string;
}

export class SignoffView {
  @ApiProperty({ enum: DEPARTMENTS }) department: string;
  @ApiProperty({ enum: ['pass', 'fail'] }) result: string;
  @ApiProperty() notes: string;
  @ApiProperty() signedBy: string;
}

export class AcceptanceView {
  @ApiProperty() id: number;
  @ApiProperty() projectId: number;
  @ApiProperty() contractId: number;
  @ApiProperty() scaleStatement: string;
  @ApiProperty({ enum: ['open', 'passed', 'failed'] }) state: string;
  @ApiProperty({ enum: DEPARTMENTS, isArray: true }) requiredDepartments: string[];
  @ApiProperty({ type: [SignoffView] }) signoffs: SignoffView[];
  @ApiPropertyOptional({ nullable: true }) closedAt: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Retention defect period in days, fixed when the acceptance passed' }) defectDays: number | null;
}

const AcceptanceRow = z.object({
  id: col.id,
  projectId: col.id,
  contractId: col.id,
  scaleStatement: col.text,
  state: col.text,
  requiredDepartments: col.textArray,
  closedAt: col.timestamp.nullable(),
  defectDays: col.int.nullable(),
});
const Signoff = z.object({ department: col.text, result: col.text, userId: col.id });
const SignoffByName = z.object({ department: col.text, result: col.text, notes: col.text, username: col.text });

/**
 * 驗收一道關: an acceptance of a contract's work, signed department by department; any fail fails it (the work is
 * redone and a new acceptance opened), every required pass passes it. One open acceptance per contract at a time.
 */
@Injectable()
export class AcceptanceService {
  constructor(
    private readonly ds: DataSource,
    private readonly projects: ProjectsService,
    private readonly policies: PoliciesService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async open(actor: Actor, projectId: number, dto: OpenAcceptanceDto): Promise<AcceptanceView> {
    const project = await this.projects.find(this.ds.manager, actor, projectId, false);
    const contract = await findContract(this.ds, actor, dto.contractId);
    if (!contract || contract.projectId !== projectId)
      throw new DomainError(ErrorCode.NotFound, `No contract ${dto.contractId} on project ${projectId}`, {
        fields: [{ field: 'contractId', message: 'not a contract of this project' }],
      });
    if (contract.state !== 'signed') throw new DomainError(ErrorCode.ContractNotSigned, `Contract ${dto.contractId} is not signed`);
    try {
      return await inTransaction(this.ds, async (em) => {
        const [{ id }] = await selectRows(
          em,
          IdRow,
          `INSERT INTO acceptances (county_id, project_id, contract_id, scale_statement, state, required_departments, opened_by)
           VALUES ($1, $2, $3, $4, 'open', $5, $6) RETURNING id`,
          [actor.county.id, projectId, dto.contractId, dto.scaleStatement, requiredDepartments(project.category), actor.userId],
        );
        const view = await this.find(em, actor, id);
        await this.audit.append(em, actor, 'acceptance.opened', { ...view });
        return view;
      });
    } catch (err) {
      if (pgErrorOf(err)?.constraint === 'UQ_acceptances_open') {
        throw new DomainError(ErrorCode.InvalidState, `Contract ${dto.contractId} already has an open acceptance`);
      }
      throw err;
    }
  }

  /** A person holding the department's role signs for it, once per department, never twice in one acceptance. */
  async signoff(actor: Actor, id: number, dto: SignoffDto): Promise<AcceptanceView> {
    if (!actor.roles.includes(DEPARTMENT_ROLE[dto.department])) {
      throw new DomainError(ErrorCode.ForbiddenRole, `Signing for ${dto.department} needs the role ${DEPARTMENT_ROLE[dto.department]}`);
    }
    return inTransaction(this.ds, async (em) => {
      const row = await selectOne(em, AcceptanceRow, `SELECT * FROM acceptances WHERE id = $1 AND county_id = $2 FOR UPDATE`, [id, actor.county.id]);
      if (!row) throw new DomainError(ErrorCode.NotFound, `No acceptance ${id}`);
      if (row.state !== 'open') throw new DomainError(ErrorCode.InvalidState, `Acceptance ${id} is ${row.state}`);
      if (!row.requiredDepartments.includes(dto.department)) {
        throw new DomainError(ErrorCode.DepartmentNotRequired, `${dto.department} is not required for this acceptance`, {
          fields: [{ field: 'department', message: `one of ${row.requiredDepartments.join(', ')}` }],
        });
      }
      const earlier = await selectRows(em, Signoff, `SELECT department, result, user_id FROM acceptance_signoffs WHERE acceptance_id = $1`, [id]);
      if (earlier.some((s) => s.department === dto.department)) throw new DomainError(ErrorCode.InvalidState, `${dto.department} has already signed`);
      assertNewHand(
        earlier.map((s) => ({ step: `sign for ${s.department}`, userId: s.userId })),
        { step: `sign for ${dto.department}`, userId: actor.userId! },
      );
      await em.query(`INSERT INTO acceptance_signoffs (acceptance_id, department, result, notes, user_id) VALUES ($1, $2, $3, $4, $5)`, [
        id,
        dto.department,
        dto.result,
        dto.notes,
        actor.userId,
      ]);
      const outcome = acceptanceOutcome(row.requiredDepartments, [...earlier, { department: dto.department, result: dto.result }]);
      if (outcome !== 'open') {
        // The retention defect period is fixed when the work passes, as the rate is at signing: a later policy change
        // does not shorten (or lengthen) the wait for retention already held.
        const defectDays =
          outcome === 'passed' ? Number((await this.policies.inForce(em, actor, this.clock.today())).values.retention_defect_days.value) : null;
        await em.query(`UPDATE acceptances SET state = $2, closed_at = now(), defect_days = $3 WHERE id = $1`, [id, outcome, defectDays]);
      }
      const view = await this.find(em, actor, id);
      await this.audit.append(em, actor, 'acceptance.signed', { acceptanceId: id, department: dto.department, result: dto.result, state: view.state });
      return view;
    });
  }

  async get(actor: Actor, id: number): Promise<AcceptanceView> {
    return this.find(this.ds.manager, actor, id);
  }

  private async find(em: EntityManager, actor: Actor, id: number): Promise<AcceptanceView> {
    const row = await selectOne(em, AcceptanceRow, `SELECT * FROM acceptances WHERE id = $1 AND county_id = $2`, [id, actor.county.id]);
    if (!row) throw new DomainError(ErrorCode.NotFound, `No acceptance ${id}`);
    await this.projects.find(em, actor, row.projectId, false);
    const signoffs = await selectRows(
      em,
      SignoffByName,
      `SELECT s.department, s.result, s.notes, u.username FROM acceptance_signoffs s JOIN users u ON u.id = s.user_id WHERE s.acceptance_id = $1 ORDER BY s.id`,
      [id],
    );
    return {
      id: row.id,
      projectId: row.projectId,
      contractId: row.contractId,
      scaleStatement: row.scaleStatement,
      state: row.state,
      requiredDepartments: row.requiredDepartments,
      signoffs: signoffs.map((s) => ({ department: s.department, result: s.result, notes: s.notes, signedBy: s.username })),
      closedAt: row.closedAt?.toISOString() ?? null,
      defectDays: row.defectDays,
    };
  }
}
