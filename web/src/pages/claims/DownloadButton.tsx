import { Button } from 'antd';
import { fetchFile, saveBlob, type Schema } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAction } from '../../components/useAction';

type Attachment = Schema<'AttachmentView'>;

export const attachmentUrl = (a: Attachment) => `/api/v1/claims/${a.claimId}/attachments/${a.id}`;

/** Saves a scan under its own name (fetched with the token, checked by the API against its recorded SHA-256). */
export function DownloadButton({ attachment }: { attachment: Attachment }) {
  const action = useAction();
  const download = () =>
    void action.run(async () => {
      const { blob, filename } = await fetchFile(attachmentUrl(attachment));
      saveBlob(blob, filename);
      return true;
    });
  return (
    <span>
      <Button size="small" autoInsertSpace={false} onClick={download} loading={action.busy} aria-label={`下載 ${attachment.filename}`}>
        下載
      </Button>
      <ErrorNote error={action.error} />
    </span>
  );
}
