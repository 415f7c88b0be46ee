import { useEffect, useState } from 'react';
import { api } from '../services';

/**
 * A payment's EPC QR code ("GiroCode") as the server draws it: fetched with the staff
 * credential (GET /api/v1/payments/{id}/epc-qr, in the UI's mode) and shown from a blob: URL.
 * The code is the server's, byte for byte: what a banking app reads is what the API specifies.
 */
export function EpcQr({ paymentId, label, errorLabel, size, className }: { paymentId: string; label: string; errorLabel: string; size?: number; className?: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    let url: string | null = null;
    setFailed(false);
    api.blob(`/api/v1/payments/${encodeURIComponent(paymentId)}/epc-qr`, { format: 'svg' }).then(
      (blob) => {
        if (!live) return;
        url = URL.createObjectURL(blob);
        setSrc(url);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [paymentId]);
  const style = size === undefined ? undefined : { width: size, height: size };
  return (
    <div className={`qr epc-qr ${className ?? ''}`} style={style} data-testid="epc-qr" data-state={src ? 'ready' : failed ? 'error' : 'loading'}>
      {src && <img src={src} alt={label} draggable={false} />}
      {failed && <span className="epc-qr-error">{errorLabel}</span>}
    </div>
  );
}
