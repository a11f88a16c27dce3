import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { col, selectRows } from '../database/rows';
import { GovAccount, functionalClassOf } from './account-map';

/**
 * The auxiliary dimensions (輔助核算) the books carry beside an account: the project (and its functional class), the
 * source (allocation), the contract and its payee. Read once per export into memory: a county has hundreds of
 * projects and thousands of contracts, not millions.
 */
export interface Dimensions {
  project(id: number | null): { name: string; functionalClass: GovAccount | null } | undefined;
  allocation(id: number | null): { documentNumber: string; fundType: string } | undefined;
  contract(id: number | null): { title: string; payee: string } | undefined;
}

const ProjectRow = z.object({ id: col.id, name: col.text, category: col.text });
const AllocationRow = z.object({ id: col.id, documentNumber: col.text, fundType: col.text });
const ContractRow = z.object({ id: col.id, title: col.text, payeeName: col.text });

export async function loadDimensions(em: EntityManager, countyId: number): Promise<Dimensions> {
  // One after another: they share the snapshot's one connection.
  const projects = await selectRows(em, ProjectRow, `SELECT id, name, category FROM projects WHERE county_id = $1`, [countyId]);
  const allocations = await selectRows(em, AllocationRow, `SELECT id, document_number, fund_type FROM fund_allocations WHERE county_id = $1`, [countyId]);
  const contracts = await selectRows(em, ContractRow, `SELECT id, title, payee_name FROM contracts WHERE county_id = $1`, [countyId]);
  const byProject = new Map(projects.map((p) => [p.id, { name: p.name, functionalClass: functionalClassOf(p.category) }]));
  const byAllocation = new Map(allocations.map((a) => [a.id, { documentNumber: a.documentNumber, fundType: a.fundType }]));
  const byContract = new Map(contracts.map((c) => [c.id, { title: c.title, payee: c.payeeName }]));
  return {
    project: (id) => (id === null ? undefined : byProject.get(id)),
    allocation: (id) => (id === null ? undefined : byAllocation.get(id)),
    contract: (id) => (id === null ? undefined : byContract.get(id)),
  };
}
