import { Button, Card, Form } from 'antd';
import type { ReactNode } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction } from '../../components/useAction';

export interface StepFormProps<V> {
  /** The form's name: its fields' ids (several step forms may share a page). */
  name: string;
  title: string;
  submitLabel: string;
  danger?: boolean;
  initialValues?: Partial<V>;
  /** Shown above the fields (what the signer signs for). */
  intro?: ReactNode;
  children?: ReactNode;
  send: (values: V, idempotencyKey: string) => Promise<unknown>;
  onDone: () => Promise<void>;
}

/** One step of a claim as its own form: its fields, its button, and its refusal said right above them. */
export function StepForm<V extends object>({ name, title, submitLabel, danger, initialValues, intro, children, send, onDone }: StepFormProps<V>) {
  const [form] = Form.useForm<V>();
  const action = useAction(form);
  const finish = async (values: V) => {
    const done = await action.run((key) => send(values, key));
    if (done === undefined) return;
    form.resetFields();
    await onDone();
  };
  return (
    <Card size="small" title={title} style={{ marginBottom: 16 }}>
      {intro}
      <ErrorNote error={action.error} />
      <Form<V> form={form} name={name} layout="vertical" initialValues={initialValues} onFinish={(v) => void finish(v)}>
        {children}
        <Button type="primary" danger={danger} htmlType="submit" loading={action.busy} autoInsertSpace={false}>
          {submitLabel}
        </Button>
      </Form>
    </Card>
  );
}
