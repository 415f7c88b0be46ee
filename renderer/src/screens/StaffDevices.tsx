import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { api, appStore, sessionStore } from '../services';
import type { Device, DeviceRole, PairingCode, StaffRole, StaffUser } from '../api/types';
import { errorToFormErrors, NO_ERRORS, type FormErrors } from '../lib/form-errors';
import { formatDateTime, formatCountdown } from '../lib/format';
import { toast } from '../stores/toast';
import { Button, Card, ConfirmDialog, Empty, ErrorBox, Field, PageHeader, Segmented, Spinner } from '../components/ui';
import { Qr } from '../components/Qr';
import { errorText } from '../lib/error-text';

const STAFF_ROLES: StaffRole[] = ['owner', 'manager', 'cashier'];
const DEVICE_ROLES: DeviceRole[] = ['counter', 'display'];

/**
 * Staff & devices (owners): pair a second till or a customer-facing tablet with a short code
 * and its QR, see and revoke paired devices, and keep the staff users with their roles.
 */
export function StaffDevicesScreen() {
  const { t } = useTranslation();
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [users, setUsers] = useState<StaffUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const [d, u] = await Promise.all([api.get<{ data: Device[] }>('/api/v1/devices'), api.get<{ data: StaffUser[] }>('/api/v1/staff-users')]);
      setDevices(d.data);
      setUsers(u.data);
    } catch (err) {
      setError(errorText(err));
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);

  if (error) return <ErrorBox messages={[error]} />;
  if (!devices || !users) return <Spinner />;
  return (
    <div className="page page-narrow" data-testid="staff-devices">
      <PageHeader title={t('staff.title')} subtitle={t('staff.subtitle')} back={{ to: '/settings', label: t('settings.title') }} />
      <PairCard onPaired={() => void reload()} />
      <DevicesCard devices={devices} onChanged={() => void reload()} />
      <UsersCard users={users} onChanged={() => void reload()} />
    </div>
  );
}

function PairCard({ onPaired }: { onPaired: () => void }) {
  const { t } = useTranslation();
  const pointsOfSale = useStore(appStore, (s) => s.pointsOfSale);
  const info = useStore(appStore, (s) => s.info);
  const [role, setRole] = useState<DeviceRole>('counter');
  const [pos, setPos] = useState(pointsOfSale[0]?.id ?? '');
  const [code, setCode] = useState<PairingCode | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    if (!code) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [code]);
  const left = code ? Date.parse(code.expiresAt) - now : 0;
  useEffect(() => {
    // Over: the list may have a new device; the code is no use any more.
    if (code && left <= 0) {
      setCode(null);
      onPaired();
    }
  }, [code, left <= 0]);

  const make = async (): Promise<void> => {
    setBusy(true);
    setErrors([]);
    try {
      setCode(await api.post<PairingCode>('/api/v1/pairing-codes', { role, pointOfSaleId: pos }));
      setNow(Date.now());
    } catch (err) {
      setErrors([errorText(err)]);
    } finally {
      setBusy(false);
    }
  };

  const hub = info?.baseUrl ?? '';
  // What the QR carries: the hub's address and the code; a tablet opens its display page with it.
  const qrText = code ? (code.role === 'display' ? `${hub}/display/${encodeURIComponent(code.pointOfSaleId)}#pair=${code.code}` : `${hub}/#pair=${code.code}`) : '';
  const posName = pointsOfSale.find((p) => p.id === (code?.pointOfSaleId ?? pos))?.name ?? '';

  return (
    <Card title={t('staff.pairTitle')}>
      <p className="muted">{t('staff.pairHint')}</p>
      {code ? (
        <div className="pairing" data-testid="pairing-code">
          <Qr text={qrText} size={200} label={t('staff.pairQr')} />
          <div className="pairing-text">
            <div className="small muted">{t(`staff.deviceRoles.${code.role}`)} · {posName}</div>
            <div className="pairing-code mono" aria-label={t('staff.code')}>
              {code.code.slice(0, 4)} {code.code.slice(4)}
            </div>
            <div className="small muted">{t('staff.hub', { hub })}</div>
            <div className="small" data-testid="pairing-left">
              {t('staff.validFor', { time: formatCountdown(Math.max(0, left)) })}
            </div>
            <div className="btn-row">
              <Button
                onClick={() => {
                  setCode(null);
                  onPaired();
                }}
              >
                {t('staff.pairDone')}
              </Button>
            </div>
          </div>
        </div>
      ) : (
        <>
          <div className="grid-2">
            <Field label={t('staff.deviceRole')} name="deviceRole">
              {() => <Segmented name="deviceRole" value={role} onChange={setRole} options={DEVICE_ROLES.map((r) => ({ value: r, label: t(`staff.deviceRoles.${r}`) }))} />}
            </Field>
            <Field label={t('nav.pointOfSale')} name="pairPos">
              {(p) => (
                <select {...p} value={pos} onChange={(e) => setPos(e.target.value)}>
                  {pointsOfSale.map((x) => (
                    <option key={x.id} value={x.id}>
                      {x.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <p className="small muted">{t(`staff.deviceRoleHints.${role}`)}</p>
          <ErrorBox messages={errors} />
          <div className="form-actions">
            <Button variant="primary" disabled={busy || !pos} onClick={() => void make()} data-testid="make-pairing-code">
              {t('staff.makeCode')}
            </Button>
          </div>
        </>
      )}
    </Card>
  );
}

function DevicesCard({ devices, onChanged }: { devices: Device[]; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const pointsOfSale = useStore(appStore, (s) => s.pointsOfSale);
  const [revoking, setRevoking] = useState<Device | null>(null);
  const [busy, setBusy] = useState(false);

  const revoke = async (d: Device): Promise<void> => {
    setBusy(true);
    try {
      await api.delete(`/api/v1/devices/${encodeURIComponent(d.id)}`);
      toast(t('staff.revoked', { name: d.name }), 'success');
      onChanged();
    } catch (err) {
      toast(errorText(err), 'error');
    } finally {
      setBusy(false);
      setRevoking(null);
    }
  };

  return (
    <Card title={t('staff.devicesTitle')}>
      {devices.length === 0 ? (
        <Empty title={t('staff.noDevices')} />
      ) : (
        <ul className="plain-list" data-testid="device-list">
          {devices.map((d) => (
            <li key={d.id} className="list-row" data-device={d.id}>
              <div>
                <div className="strong">{d.name}</div>
                <div className="small muted">
                  {t(`staff.deviceRoles.${d.role}`)} · {pointsOfSale.find((p) => p.id === d.pointOfSaleId)?.name ?? d.pointOfSaleId} ·{' '}
                  {d.lastSeenAt ? t('staff.lastSeen', { when: formatDateTime(d.lastSeenAt, i18n.language) }) : t('staff.neverSeen')}
                </div>
              </div>
              <Button variant="danger" size="sm" disabled={busy} onClick={() => setRevoking(d)} data-testid="revoke-device">
                {t('staff.revoke')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={t('staff.revokeTitle', { name: revoking?.name ?? '' })}
        body={t('staff.revokeBody')}
        confirmLabel={t('staff.revoke')}
        variant="danger"
        busy={busy}
        onConfirm={() => revoking && void revoke(revoking)}
        onClose={() => setRevoking(null)}
      />
    </Card>
  );
}

function UsersCard({ users, onChanged }: { users: StaffUser[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const me = useStore(sessionStore, (s) => s.user);
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [role, setRole] = useState<StaffRole>('cashier');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState<StaffUser | null>(null);

  const add = async (): Promise<void> => {
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.post('/api/v1/staff-users', { name: name.trim(), pin, role });
      toast(t('staff.userAdded', { name: name.trim() }), 'success');
      setName('');
      setPin('');
      onChanged();
    } catch (err) {
      setErrors(errorToFormErrors(err, ['name', 'pin', 'role'], {}, t));
    } finally {
      setBusy(false);
    }
  };

  const change = async (u: StaffUser, patch: Record<string, unknown>): Promise<void> => {
    try {
      await api.patch(`/api/v1/staff-users/${encodeURIComponent(u.id)}`, patch);
      onChanged();
    } catch (err) {
      toast(errorText(err), 'error');
    }
  };

  const remove = async (u: StaffUser): Promise<void> => {
    try {
      await api.delete(`/api/v1/staff-users/${encodeURIComponent(u.id)}`);
      toast(t('staff.userRemoved', { name: u.name }), 'success');
      onChanged();
    } catch (err) {
      toast(errorText(err), 'error');
    } finally {
      setRemoving(null);
    }
  };

  return (
    <Card title={t('staff.usersTitle')}>
      <p className="muted">{t('staff.usersHint')}</p>
      {users.length > 0 && (
        <ul className="plain-list" data-testid="user-list">
          {users.map((u) => (
            <li key={u.id} className="list-row" data-user={u.id}>
              <div className="strong">
                {u.name}
                {me?.id === u.id && <span className="small muted"> · {t('staff.you')}</span>}
              </div>
              <div className="btn-row">
                <select aria-label={t('staff.roleOf', { name: u.name })} value={u.role} onChange={(e) => void change(u, { role: e.target.value })}>
                  {STAFF_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`staff.roles.${r}`)}
                    </option>
                  ))}
                </select>
                <Button size="sm" variant="danger" onClick={() => setRemoving(u)}>
                  {t('staff.remove')}
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
        data-testid="add-user"
      >
        <div className="grid-2">
          <Field label={t('staff.name')} errors={errors.fields.name} name="name">
            {(p) => <input {...p} value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field label={t('settings.pinLabel')} errors={errors.fields.pin} name="pin" hint={t('settings.pinHint')}>
            {(p) => <input {...p} type="password" inputMode="numeric" autoComplete="new-password" value={pin} maxLength={12} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} />}
          </Field>
        </div>
        <Field label={t('staff.role')} errors={errors.fields.role} name="role" hint={t(`staff.roleHints.${role}`)}>
          {() => <Segmented name="role" value={role} onChange={setRole} options={STAFF_ROLES.map((r) => ({ value: r, label: t(`staff.roles.${r}`) }))} />}
        </Field>
        <ErrorBox messages={errors.general} />
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={busy || !name.trim() || pin.length < 4} data-testid="add-user-submit">
            {t('staff.addUser')}
          </Button>
        </div>
      </form>
      <ConfirmDialog
        open={removing !== null}
        title={t('staff.removeTitle', { name: removing?.name ?? '' })}
        body={t('staff.removeBody')}
        confirmLabel={t('staff.remove')}
        variant="danger"
        onConfirm={() => removing && void remove(removing)}
        onClose={() => setRemoving(null)}
      />
    </Card>
  );
}
