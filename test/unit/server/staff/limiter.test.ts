import { describe, expect, it } from 'vitest';
import { LoginLimiter, type LoginAttempt, type Reservation } from '../../../../server/staff/limiter';

const limits = {
  address: { maxFailures: 3, windowMs: 60_000, blockMs: 120_000 },
  account: { maxFailures: 5, windowMs: 600_000, blockMs: 600_000 },
};

function attempt(r: Reservation): LoginAttempt {
  if (!r.ok) throw new Error(`refused for ${r.retryAfterMs} ms`);
  return r.attempt;
}

describe('LoginLimiter', () => {
  it('counts an attempt when it is reserved: parallel reservations stop at the limit', () => {
    const limiter = new LoginLimiter(limits, () => 1_000);
    const reserved = Array.from({ length: 10 }, () => limiter.reserve({ address: 'a' }));
    expect(reserved.filter((r) => r.ok)).toHaveLength(3);
    expect(reserved[3]).toEqual({ ok: false, retryAfterMs: 120_000 });
  });

  it('a success gives its reservation back and clears the address; failures stay counted', () => {
    let now = 0;
    const limiter = new LoginLimiter(limits, () => now);
    attempt(limiter.reserve({ address: 'a' })).fail();
    attempt(limiter.reserve({ address: 'a' })).fail();
    const third = attempt(limiter.reserve({ address: 'a' }));
    expect(limiter.reserve({ address: 'a' }).ok).toBe(false); // the third is still being checked
    third.succeed();
    for (let i = 0; i < 3; i++) attempt(limiter.reserve({ address: 'a' })).fail();
    const blocked = limiter.reserve({ address: 'a' });
    expect(blocked).toEqual({ ok: false, retryAfterMs: 120_000 });
    now += 119_999;
    expect(limiter.reserve({ address: 'a' })).toEqual({ ok: false, retryAfterMs: 1 });
    now += 1;
    expect(limiter.reserve({ address: 'a' }).ok).toBe(true);
  });

  it('an account is limited across addresses, and one address’s success does not wipe the others’ failures', () => {
    let now = 0;
    const limiter = new LoginLimiter(limits, () => now);
    for (let i = 0; i < 4; i++) attempt(limiter.reserve({ address: `x${i}`, account: 'pin' })).fail();
    attempt(limiter.reserve({ address: 'staff', account: 'pin' })).succeed();
    attempt(limiter.reserve({ address: 'y', account: 'pin' })).fail();
    expect(limiter.reserve({ address: 'z', account: 'pin' })).toEqual({ ok: false, retryAfterMs: 600_000 });
    // The account's limit does not touch logins that name no account (an API key).
    expect(limiter.reserve({ address: 'z' }).ok).toBe(true);
    // A refusal by the account does not use up the address.
    now += 600_000;
    expect(limiter.reserve({ address: 'z', account: 'pin' }).ok).toBe(true);
  });

  it('settling twice counts once', () => {
    const limiter = new LoginLimiter(limits, () => 0);
    const a = attempt(limiter.reserve({ address: 'a' }));
    a.fail();
    a.succeed();
    attempt(limiter.reserve({ address: 'a' })).fail();
    attempt(limiter.reserve({ address: 'a' })).fail();
    expect(limiter.reserve({ address: 'a' }).ok).toBe(false);
  });
});
