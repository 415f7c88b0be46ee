import { useEffect, useState } from 'react';
import { qrDataUrl } from '../lib/qr';

/** A QR code drawn in the page (SVG as an image: crisp at any size, nothing injected). */
export function Qr({ text, size, className, label }: { text: string; size?: number | string; className?: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    qrDataUrl(text).then(
      (url) => live && setSrc(url),
      () => live && setSrc(null),
    );
    return () => {
      live = false;
    };
  }, [text]);
  const style = size === undefined ? undefined : { width: size, height: size };
  return (
    <div className={`qr ${className ?? ''}`} style={style}>
      {src && <img src={src} alt={label} draggable={false} />}
    </div>
  );
}
