import { lazy, Suspense } from 'react';
import { matchPath, usePath } from './lib/router';
import { DisplayScreen } from './screens/Display';

/** The staff UI: loaded only off the display's path (see StaffApp.tsx). */
const StaffRoot = lazy(() => import('./StaffApp'));

export function App() {
  const path = usePath();
  const display = matchPath('/display/:posId', path);
  if (display) return <DisplayScreen posId={display.posId!} />;
  return (
    <Suspense fallback={<div className="full-center" aria-busy="true" />}>
      <StaffRoot path={path} />
    </Suspense>
  );
}
