import { Form, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, call, type Schema } from '../../api/client';
import { hasRole, useMe } from '../../auth';
import { moneyColumn } from '../../components/Money';
import { PagedTable } from '../../components/PagedTable';
import { PROJECT_CATEGORY_LABELS, PROJECT_STATE_LABELS, optionsOf } from './labels';
import type { ProjectCategory, ProjectState } from './types';
import { UnitName } from './names';

type Project = Schema<'ProjectView'>;

/** The project library in the user's scope (a village sees its own), paged on the server, filtered by state and category. */
export default function Projects() {
  const me = useMe();
  const [status, setStatus] = useState<ProjectState>();
  const [category, setCategory] = useState<ProjectCategory>();

  return (
    <>
      <Typography.Title level={2}>{hasRole(me, 'village') ? '我的項目' : '項目'}</Typography.Title>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label="狀態" htmlFor="project-status">
          <Select
            id="project-status"
            allowClear
            placeholder="全部"
            style={{ width: 160 }}
            value={status}
            onChange={setStatus}
            options={optionsOf(PROJECT_STATE_LABELS)}
          />
        </Form.Item>
        <Form.Item label="類別" htmlFor="project-category">
          <Select
            id="project-category"
            allowClear
            placeholder="全部"
            style={{ width: 160 }}
            value={category}
            onChange={setCategory}
            options={optionsOf(PROJECT_CATEGORY_LABELS)}
          />
        </Form.Item>
      </Form>
      <PagedTable<Project>
        aria-label="項目列表"
        rowKey="id"
        query={{ status, category }}
        cursorOf={(p) => p.id}
        fetchPage={(afterId, limit) => call(api.GET('/api/v1/projects', { params: { query: { afterId, limit, status, category } } }))}
        columns={[
          { title: '編號', dataIndex: 'id' },
          { title: '項目名稱', dataIndex: 'name', render: (name: string, p) => <Link to={`/projects/${p.id}`}>{name}</Link> },
          { title: '村', dataIndex: 'villageId', render: (id: number) => <UnitName id={id} /> },
          { title: '類別', dataIndex: 'category', render: (c: ProjectCategory) => PROJECT_CATEGORY_LABELS[c] },
          { title: '狀態', dataIndex: 'state', render: (s: ProjectState) => PROJECT_STATE_LABELS[s] },
          { title: '資金規模', dataIndex: 'fundScale', ...moneyColumn },
          {
            title: '起止日期',
            key: 'period',
            render: (_, p) => (
              <Space size={4} style={{ whiteSpace: 'nowrap' }}>
                {p.startDate} 至 {p.endDate}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
