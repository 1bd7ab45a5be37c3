// Saves text as a file (CSV / JSON export of the sweep table).
import { downloadBlob } from '../../engine/recorder';

export function downloadText(filename: string, text: string, mime: string): void {
  downloadBlob(new Blob([text], { type: mime }), filename);
}
