import { describe, expect, it } from 'vitest';
import { desiredRouterState, ownerTag, queueName, SUSPENDED_LIST } from '../../src/domain/desired-state';
import type { SubscriptionSnapshot } from '../../src/domain/subscription-snapshot';

const dhcp: SubscriptionSnapshot = {
  name: 'SUB/2026/00042',
  state: 'active',
  authMethod: 'dhcp',
  dhcpMode: 'static',
  serviceMac: 'AA:BB:CC:DD:EE:01',
  serviceIp: '10.20.0.15',
  clientAddress: '10.20.0.15',
  plan: { upMbps: 5, downMbps: 20 },
};

const pppoe: SubscriptionSnapshot = {
  ...dhcp,
  authMethod: 'pppoe',
  serviceMac: undefined,
  pppoeUsername: 'cust42',
  pppoePassword: 's3cret',
};

describe(desiredRouterState.name, () => {
  it('gives an active static DHCP subscription a pinned lease and a queue at the plan speed', () => {
    const state = desiredRouterState(dhcp);
    expect(state.owner).toBe('isp:SUB/2026/00042');
    expect(state.menus.get('/ip/dhcp-server/lease')).toEqual([
      { 'mac-address': 'AA:BB:CC:DD:EE:01', address: '10.20.0.15', comment: 'isp:SUB/2026/00042' },
    ]);
    expect(state.menus.get('/queue/simple')).toEqual([
      {
        name: 'isp-SUB-2026-00042',
        target: '10.20.0.15',
        'max-limit': '5M/20M',
        comment: 'isp:SUB/2026/00042',
      },
    ]);
    expect(state.menus.get('/ip/firewall/address-list')).toEqual([]);
    expect(state.kickPppSession).toBeUndefined();
  });

  it('leaves a dynamic lease unpinned', () => {
    const state = desiredRouterState({ ...dhcp, dhcpMode: 'dynamic', serviceIp: undefined });
    expect(state.menus.get('/ip/dhcp-server/lease')?.[0]?.['address']).toBe('0.0.0.0');
  });

  it('puts a suspended customer in the suspended list and keeps the rest', () => {
    const state = desiredRouterState({ ...dhcp, state: 'suspended' });
    expect(state.menus.get('/ip/firewall/address-list')).toEqual([
      { list: SUSPENDED_LIST, address: '10.20.0.15', comment: 'isp:SUB/2026/00042' },
    ]);
    expect(state.menus.get('/ip/dhcp-server/lease')).toHaveLength(1);
    expect(state.menus.get('/queue/simple')).toHaveLength(1);
  });

  it('disables a suspended PPPoE secret and asks for its session to be dropped', () => {
    const state = desiredRouterState({ ...pppoe, state: 'suspended' });
    expect(state.menus.get('/ppp/secret')).toEqual([
      {
        name: 'cust42',
        password: 's3cret',
        service: 'pppoe',
        profile: 'isp-5M-20M',
        disabled: 'yes',
        'remote-address': '10.20.0.15',
        comment: 'isp:SUB/2026/00042',
      },
    ]);
    expect(state.menus.get('/ip/dhcp-server/lease')).toEqual([]);
    expect(state.kickPppSession).toBe('cust42');
  });

  it('enables the secret again once reconnected', () => {
    expect(desiredRouterState(pppoe).menus.get('/ppp/secret')?.[0]?.['disabled']).toBe('no');
  });

  it('owns nothing for draft and terminated subscriptions', () => {
    for (const state of ['draft', 'terminated'] as const) {
      const desired = desiredRouterState({ ...dhcp, state });
      for (const items of desired.menus.values()) expect(items).toEqual([]);
    }
  });

  it('shapes and suspends a dynamic lease through the lease itself, whatever address it gets', () => {
    const state = desiredRouterState({
      ...dhcp,
      dhcpMode: 'dynamic',
      serviceIp: undefined,
      clientAddress: undefined,
      state: 'suspended',
    });
    expect(state.menus.get('/ip/dhcp-server/lease')).toEqual([
      {
        'mac-address': 'AA:BB:CC:DD:EE:01',
        address: '0.0.0.0',
        'rate-limit': '5M/20M',
        'address-lists': SUSPENDED_LIST,
        comment: 'isp:SUB/2026/00042',
      },
    ]);
    expect(state.menus.get('/queue/simple')).toEqual([]);
    expect(state.menus.get('/ip/firewall/address-list')).toEqual([]);
    const online = desiredRouterState({
      ...dhcp,
      dhcpMode: 'dynamic',
      serviceIp: undefined,
      clientAddress: '10.20.0.77',
    });
    expect(online.menus.get('/ip/dhcp-server/lease')?.[0]?.['address-lists']).toBe('');
    expect(online.menus.get('/queue/simple')).toEqual([]);
  });

  it('shapes PPPoE through the plan profile, with or without a fixed address', () => {
    const state = desiredRouterState({ ...pppoe, serviceIp: undefined, clientAddress: undefined });
    expect(state.menus.get('/ppp/secret')?.[0]).toMatchObject({ profile: 'isp-5M-20M' });
    expect(state.menus.get('/ppp/secret')?.[0]).not.toHaveProperty('remote-address');
    expect(state.menus.get('/queue/simple')).toEqual([]);
  });

  it('owns nothing on a router the subscription has moved away from', () => {
    const moved = desiredRouterState({ ...dhcp, deviceId: 2 }, 1);
    for (const items of moved.menus.values()) expect(items).toEqual([]);
    expect(desiredRouterState({ ...dhcp, deviceId: 1 }, 1).menus.get('/ip/dhcp-server/lease')).toHaveLength(
      1,
    );
  });
});

describe(queueName.name, () => {
  it('makes a RouterOS-safe unique name', () => {
    expect(queueName('SUB/2026/00042')).toBe('isp-SUB-2026-00042');
    expect(ownerTag('SUB/2026/00042')).toBe('isp:SUB/2026/00042');
  });
});
