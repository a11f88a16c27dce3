import { Card, Descriptions, Timeline, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { api, call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { Money } from '../../components/Money';
import { formatDateTime } from '../../format';
import { BudgetLines } from './BudgetLines';
import { PROJECT_CATEGORY_LABELS, PROJECT_STATE_LABELS } from './labels';
import { ProjectContracts } from './ProjectContracts';
import { ProjectFigures } from './ProjectFigures';
import type { ProjectState } from './types';
import { UnitName } from './names';
import { useLoad } from '../../components/useLoad';

/** A lifecycle state as people read it (the history's states are typed loosely by the API). */
const stateLabel = (state: unknown) => PROJECT_STATE_LABELS[state as ProjectState] ?? (typeof state === 'string' ? state : '');

/** One project: what it is, its figures, budget lines, contracts, and the steps of its lifecycle. */
export default function ProjectDetail() {
  const id = Number(useParams().id);
  const project = useLoad((signal) => call(api.GET('/api/v1/projects/{id}', { params: { path: { id } }, signal })), id);
  const p = project.data;
  return (
    <>
      <Typography.Title level={2}>項目 {p ? p.name : id}</Typography.Title>
      <ErrorNote error={project.error} />
      {p && (
        <>
          <Card style={{ marginBottom: 16 }}>
            <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
              <Descriptions.Item label="編號">{p.id}</Descriptions.Item>
              <Descriptions.Item label="村">
                <UnitName id={p.villageId} />
              </Descriptions.Item>
              <Descriptions.Item label="類別">{PROJECT_CATEGORY_LABELS[p.category]}</Descriptions.Item>
              <Descriptions.Item label="狀態">{PROJECT_STATE_LABELS[p.state]}</Descriptions.Item>
              <Descriptions.Item label="資金規模">
                <Money value={p.fundScale} />
              </Descriptions.Item>
              <Descriptions.Item label="建設地點">{p.location}</Descriptions.Item>
              <Descriptions.Item label="起止日期">
                {p.startDate} 至 {p.endDate}
              </Descriptions.Item>
              <Descriptions.Item label="責任單位">{p.responsibleUnit}</Descriptions.Item>
              <Descriptions.Item label="責任人">{p.responsiblePerson}</Descriptions.Item>
              <Descriptions.Item label="建設任務">{p.tasks}</Descriptions.Item>
              <Descriptions.Item label="受益戶（其中貧困戶）">
                {p.beneficiaryHouseholds}（{p.poorHouseholds}）
              </Descriptions.Item>
              <Descriptions.Item label="績效目標">{p.performanceTargets.join('；')}</Descriptions.Item>
              <Descriptions.Item label="帶貧減貧機制">{p.povertyMechanism}</Descriptions.Item>
            </Descriptions>
            <Link to={`/claims?projectId=${p.id}`}>查看本項目的報帳</Link>
          </Card>
          <ProjectFigures projectId={id} />
          <BudgetLines projectId={id} />
          <ProjectContracts projectId={id} />
          <Card title="項目歷程">
            <Timeline
              items={p.history.map((h) => ({
                key: `${h.at}-${h.action}`,
                content: (
                  <>
                    <div>
                      {h.fromState ? `${stateLabel(h.fromState)} → ` : ''}
                      {stateLabel(h.toState)}
                    </div>
                    <Typography.Text type="secondary">
                      {h.actor} · {formatDateTime(h.at)} · {h.reason}
                    </Typography.Text>
                  </>
                ),
              }))}
            />
          </Card>
        </>
      )}
    </>
  );
}
