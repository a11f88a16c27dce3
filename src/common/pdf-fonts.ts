import { readFile } from 'node:fs/promises';

/** The two weights every Chinese PDF of the service is set in. */
export type PdfFace = 'regular' | 'bold';

const FONT_FILES: Record<PdfFace, string> = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
};

let fontFiles: Promise<Record<PdfFace, Buffer>> | undefined;

/**
 * Noto Sans SC in both weights, read once per process (10 MB each) and shared by every document; pdfkit embeds only
 * the glyphs a document draws. A failed read is forgotten, so the next document tries again.
 */
export function notoSansSc(): Promise<Record<PdfFace, Buffer>> {
  fontFiles ??= Promise.all([readFile(require.resolve(FONT_FILES.regular)), readFile(require.resolve(FONT_FILES.bold))]).then(
    ([regular, bold]) => ({ regular, bold }),
    (err: unknown) => {
      fontFiles = undefined;
      throw err;
    },
  );
  return fontFiles;
}

/** Registers both weights on a document under the names `regular` and `bold`. */
export async function registerNotoSansSc(pdf: PDFKit.PDFDocument): Promise<void> {
  const files = await notoSansSc();
  pdf.registerFont('regular', files.regular);
  pdf.registerFont('bold', files.bold);
}
