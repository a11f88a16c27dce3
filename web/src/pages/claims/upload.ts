import { ApiError, session, type Schema } from '../../api/client';
import type { DocumentKind } from './types';

/**
 * Uploads one scan to a claim as multipart (kind, file), telling the progress as it goes: the one request the typed
 * client cannot make, since fetch reports no upload progress.
 */
export function uploadScan(claimId: number, kind: DocumentKind, file: File, onProgress: (percent: number) => void): Promise<Schema<'AttachmentView'>> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/claims/${claimId}/attachments`);
    const token = session.token();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded * 100) / e.total));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText) as Schema<'AttachmentView'>);
      else reject(errorOf(xhr));
    };
    xhr.onerror = () => reject(new Error('上傳中斷，請檢查網絡後重試'));
    const body = new FormData();
    body.append('kind', kind);
    body.append('file', file, file.name);
    xhr.send(body);
  });
}

function errorOf(xhr: XMLHttpRequest): ApiError {
  try {
    const body = JSON.parse(xhr.responseText) as ApiError['body'];
    if (typeof body.code === 'string') return new ApiError(xhr.status, body);
  } catch {
    // not JSON: a proxy's page
  }
  return new ApiError(xhr.status, { code: `HTTP_${xhr.status}`, message: xhr.statusText || xhr.responseText.slice(0, 200) });
}
