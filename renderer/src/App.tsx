import { lazy, Suspense } from 'react';
import { getBridge } from './bridge';
import { matchPath, usePath } from './lib/router';
import { DisplayScreen } from './screens/Display';

/** The staff UI: loaded only off the display's path (see StaffApp.tsx). */
const StaffRoot = lazy(() => import('./StaffApp'));
/** A new desktop install's first start (hub here, or join a hub): its own small chunk. */
const FirstStartScreen = lazy(() => import('./screens/FirstStart'));

export function App() {
  const path = usePath();
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
  if (display) return <DisplayScreen posId={display.posId!} />;
  return (
    <Suspense fallback={<div className="full-center" aria-busy="true" />}>
      <StaffRoot path={path} />
    </Suspense>
  );
}
