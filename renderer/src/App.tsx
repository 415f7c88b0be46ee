import { lazy, Suspense } from 'react';
import { currentPath, matchPath, usePath } from './lib/router';
import { takePairCode } from './lib/pairing';
import { DisplayScreen } from './screens/Display';

/** The staff UI: loaded only off the display's path (see StaffApp.tsx). */
const StaffRoot = lazy(() => import('./StaffApp'));

/**
 * Arrived by a pairing QR (`#pair=CODE`): the code is taken off the address bar once, as the
 * page loads and before anything renders, so it is never in history, a bookmark or a screenshot.
 */
const arrivedPairCode = typeof location !== 'undefined' ? takePairCode() : null;
/** The page the code arrived on: only there is it used (once paired, the page may move on). */
const arrivedPath = currentPath();

export function App() {
  const path = usePath();
  const pairCode = path === arrivedPath ? arrivedPairCode : null;
  const display = matchPath('/display/:posId', path);
  if (display) return <DisplayScreen key={display.posId} posId={display.posId!} pairCode={pairCode} />;
  return (
    <Suspense fallback={<div className="full-center" aria-busy="true" />}>
      <StaffRoot path={path} pairCode={pairCode} />
    </Suspense>
  );
}
