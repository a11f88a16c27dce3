import { Button, type FormInstance } from 'antd';
import { fetchFile, saveBlob } from '../../../api/client';
import { ErrorNote } from '../../../components/ErrorNote';
import { useAction } from '../../../components/useAction';

interface Props {
  /** The visible text; the accessible name is `name` when given (it contains the text). */
  children: string;
  name?: string;
  /** The period form: checked before the download, and where the API's field refusals land. */
  form: FormInstance;
  /** The fields to check first (the period, and the account a PDF needs). */
  fields: string[];
  /** A field this download cannot go without (the account of a ledger's PDF). */
  needs?: { field: string; message: string };
  /** The URL to fetch, read when clicked so it carries the form's current values. */
  url: () => string;
  /** Told the saved file's name. */
  onSaved?: (filename: string) => void;
}

/** One download: a spinner while it runs, its refusal (EXPORTS_BUSY, SNAPSHOT_BUSY, a 400) right below it. */
export function DownloadButton({ children, name, form, fields, needs, url, onSaved }: Props) {
  const action = useAction(form);
  const download = async () => {
    try {
      await form.validateFields(fields);
    } catch {
      return;
    }
    if (needs && !String(form.getFieldValue(needs.field) ?? '').trim()) {
      form.setFields([{ name: needs.field, errors: [needs.message] }]);
      return;
    }
    const file = await action.run(() => fetchFile(url()));
    if (!file) return;
    saveBlob(file.blob, file.filename);
    onSaved?.(file.filename);
  };
  return (
    <span style={{ display: 'inline-flex', flexDirection: 'column', gap: 4, maxWidth: '100%' }}>
      <Button onClick={() => void download()} loading={action.busy} aria-label={name}>
        {children}
      </Button>
      <ErrorNote error={action.error} onClose={action.clear} />
    </span>
  );
}
