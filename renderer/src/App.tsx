import { lazy, Suspense } from 'react';
import { getBridge } from './bridge';
import { currentPath, matchPath, usePath } from './lib/router';
import { takePairCode } from './lib/pairing';
import { DisplayScreen } from './screens/Display';

/** The staff UI: loaded only off the display's path (see StaffApp.tsx). */
const StaffRoot = lazy(() => import('./StaffApp'));
/** A new desktop install's first start (hub here, or join a hub): its own small chunk. */
const FirstStartScreen = lazy(() => import('./screens/FirstStart'));

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
  // The first-start window's bridge has only the first-start calls: no key, no staff UI.
  const firstStart = getBridge()?.firstStart;
  if (firstStart) {
    return (
      <Suspense fallback={<div className="full-center" aria-busy="true" />}>
        <FirstStartScreen bridge={firstStart} />
      </Suspense>
    );
  }
  const display = matchPath('/display/:posId', path);
  if (display) return <DisplayScreen key={display.posId} posId={display.posId!} pairCode={pairCode} />;
  return (
    <Suspense fallback={<div className="full-center" aria-busy="true" />}>
      <StaffRoot path={path} pairCode={pairCode} />
    </Suspense>
  );
}
