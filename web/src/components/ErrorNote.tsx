import { Alert } from 'antd';
import { ApiError } from '../api/client';
import { describeError } from '../errors';

/** A refusal, said next to the form or action it concerns: its meaning, the fields at fault, the request id. */
export function ErrorNote({ error, onClose }: { error: unknown; onClose?: () => void }) {
  if (!error) return null;
  const fields = error instanceof ApiError ? error.fields : [];
  const requestId = error instanceof ApiError ? error.body.requestId : undefined;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="error-note"
      title={describeError(error)}
      description={
        fields.length > 0 || requestId ? (
          <>
            {fields.length > 0 && (
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {fields.map((f) => (
                  <li key={f.field}>
                    {f.field}: {f.message}
                  </li>
                ))}
              </ul>
            )}
            {requestId && <small>請求編號 {requestId}</small>}
          </>
        ) : undefined
      }
      closable={onClose ? { onClose } : undefined}
      style={{ marginBottom: 16 }}
    />
  );
}
