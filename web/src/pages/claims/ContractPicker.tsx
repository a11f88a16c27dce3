import { Col, Form, Row, Select } from 'antd';
import { useEffect, useState } from 'react';
import { api, call, type Schema } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { formatMoney } from '../../format';
import { useLoad } from '../../components/useLoad';

type Contract = Schema<'ContractView'>;
type Project = Schema<'ProjectView'>;

const PAGE = 100;

/**
 * The contract a village claims on: first one of its projects (read a page at a time as the list is scrolled), then
 * a signed contract of it. Tells the form which contract was chosen, for its schedule.
 */
export function ContractPicker({ onContract }: { onContract: (contract: Contract | undefined) => void }) {
  const form = Form.useFormInstance();
  const projectId = Form.useWatch<number | undefined>('projectId');
  const contractId = Form.useWatch<number | undefined>('contractId');
  const [projects, setProjects] = useState<Project[]>([]);
  const [more, setMore] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const loadProjects = async (afterId: number) => {
    try {
      const page = await call(api.GET('/api/v1/projects', { params: { query: { afterId, limit: PAGE } } }));
      setProjects((p) => [...p, ...page]);
      setMore(page.length === PAGE);
    } catch (e) {
      setError(e);
      setMore(false);
    }
  };
  useEffect(() => {
    void loadProjects(0);
  }, []);

  const contracts = useLoad(
    async (signal) => (projectId ? call(api.GET('/api/v1/projects/{id}/contracts', { params: { path: { id: projectId } }, signal })) : []),
    projectId,
  );
  const signed = (contracts.data ?? []).filter((c) => c.state === 'signed');
  const chosen = signed.find((c) => c.id === contractId);
  useEffect(() => onContract(chosen), [chosen, onContract]);

  return (
    <>
      <ErrorNote error={error ?? contracts.error} />
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item label="項目" name="projectId" rules={[{ required: true, message: '請選擇項目' }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={projects.map((p) => ({ value: p.id, label: `${p.id} ${p.name}` }))}
              onChange={() => form.setFieldValue('contractId', undefined)}
              onPopupScroll={(e) => {
                const list = e.currentTarget;
                if (more && list.scrollTop + list.clientHeight >= list.scrollHeight - 8) {
                  setMore(false);
                  void loadProjects(projects[projects.length - 1]?.id ?? 0);
                }
              }}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            label="合同"
            name="contractId"
            rules={[{ required: true, message: '請選擇已簽訂的合同' }]}
            extra={!projectId ? '請先選擇項目' : !contracts.loading && signed.length === 0 ? '該項目沒有已簽訂的合同' : undefined}
          >
            <Select
              disabled={!projectId}
              loading={contracts.loading}
              options={signed.map((c) => ({ value: c.id, label: `${c.title}（${c.payee.name}，${formatMoney(c.amount)} 元）` }))}
            />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}
