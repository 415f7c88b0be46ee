import { api } from '../services';
import { saveBlob } from './clipboard';

/** A PDF from the API: printed through a hidden frame (the system print dialog), or saved. */
export async function printPdf(path: string, query?: Record<string, string>): Promise<void> {
  const blob = await pdfBlob(path, query);
  const url = URL.createObjectURL(blob);
  const frame = document.createElement('iframe');
  frame.className = 'offscreen';
  frame.title = 'print';
  frame.src = url;
  frame.onload = () => {
    try {
      frame.contentWindow?.focus();
      frame.contentWindow?.print();
    } finally {
      setTimeout(() => {
        frame.remove();
        URL.revokeObjectURL(url);
      }, 60_000);
    }
  };
  document.body.appendChild(frame);
}

export async function downloadPdf(path: string, fileName: string, query?: Record<string, string>): Promise<void> {
  saveBlob(await pdfBlob(path, query), fileName);
}

async function pdfBlob(path: string, query?: Record<string, string>): Promise<Blob> {
  const res = await api.fetch(path, { headers: { Accept: 'application/pdf' }, ...(query ? { query } : {}) });
  if (!res.ok) throw new Error((await res.text()).slice(0, 200) || `HTTP ${res.status}`);
  return res.blob();
}

/** A CSV export from the API, saved under its own name. */
export async function downloadCsv(path: string, fileName: string, query: Record<string, string>): Promise<void> {
  const res = await api.fetch(path, { headers: { Accept: 'text/csv' }, query });
  if (!res.ok) {
    let detail = '';
    try {
      detail = (JSON.parse(await res.text()) as { detail?: string }).detail ?? '';
    } catch {
      // not JSON
    }
    throw new Error(detail || `HTTP ${res.status}`);
  }
  saveBlob(await res.blob(), fileName);
}
