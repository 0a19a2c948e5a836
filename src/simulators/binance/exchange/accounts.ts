// Simulated Binance accounts: API keys, balances (free and locked, as integers at each asset's precision)
// and commission rates. Balances only move through lock / release / settle, so that free + locked always
// equals what the account owns.

import { exactDecimal, floorAtScale, type ExactDecimal } from '../../../routing/binance/exact-decimal.js';
import { ed25519VerificationKey, type VerificationKey } from '../../../routing/binance/signing.js';
import type { AccountJson, BalanceJson } from '../../../routing/binance/types.js';
import { formatDecimal, parseDecimal } from '../../../venue/model/decimal.js';
import type { SimAccountConfig } from '../config.js';

export interface Balance {
  free: number;
  locked: number;
}

export class SimAccount {
  readonly name: string;
  readonly uid: number;
  readonly makerRate: ExactDecimal;
  readonly takerRate: ExactDecimal;
  canTrade: boolean;
  updateTime = 0;
  private readonly balances = new Map<string, Balance>();
  /** Assets whose balance changed since the last account-position event. */
  readonly changed = new Set<string>();

  constructor(
    config: SimAccountConfig,
    uid: number,
    private readonly scales: ReadonlyMap<string, number>,
  ) {
    this.name = config.name;
    this.uid = uid;
    this.makerRate = exactDecimal(config.makerCommission ?? '0') as ExactDecimal;
    this.takerRate = exactDecimal(config.takerCommission ?? '0') as ExactDecimal;
    this.canTrade = config.canTrade ?? true;
    for (const asset of scales.keys()) this.balances.set(asset, { free: 0, locked: 0 });
    for (const [asset, amount] of Object.entries(config.balances)) this.deposit(asset, amount);
  }

  scaleOf(asset: string): number {
    const s = this.scales.get(asset);
    if (s === undefined) throw new Error(`unknown asset ${asset}`);
    return s;
  }

  balance(asset: string): Balance {
    let b = this.balances.get(asset);
    if (b === undefined) {
      b = { free: 0, locked: 0 };
      this.balances.set(asset, b);
    }
    return b;
  }

  /** Adds a decimal amount to the free balance (config, admin top-ups). */
  deposit(asset: string, amount: string): void {
    const scale = this.scales.get(asset) ?? 8;
    const units = parseDecimal(amount, scale);
    if (!Number.isSafeInteger(units)) throw new Error(`${this.name}: balance ${asset} ${amount} does not fit ${scale} decimals`);
    this.balance(asset).free += units;
    this.changed.add(asset);
  }

  canLock(asset: string, amount: number): boolean {
    return this.balance(asset).free >= amount;
  }

  lock(asset: string, amount: number): void {
    const b = this.balance(asset);
    b.free -= amount;
    b.locked += amount;
    this.changed.add(asset);
  }

  release(asset: string, amount: number): void {
    if (amount === 0) return;
    const b = this.balance(asset);
    b.locked -= amount;
    b.free += amount;
    this.changed.add(asset);
  }

  /** Pays `amount` out of the locked balance (what a fill consumes). */
  spendLocked(asset: string, amount: number): void {
    this.balance(asset).locked -= amount;
    this.changed.add(asset);
  }

  /** Pays or receives against the free balance (negative = pay). */
  adjustFree(asset: string, amount: number): void {
    if (amount === 0) return;
    this.balance(asset).free += amount;
    this.changed.add(asset);
  }

  /** Commission on a received amount (asset units), rounded down to the asset's precision. */
  commission(received: number, isMaker: boolean): number {
    const rate = isMaker ? this.makerRate : this.takerRate;
    if (rate.units === 0n) return 0;
    return Number(floorAtScale({ units: BigInt(received) * rate.units, scale: rate.scale }, 0));
  }

  format(asset: string, units: number): string {
    return formatDecimal(units, this.scaleOf(asset));
  }

  balancesJson(omitZero: boolean): BalanceJson[] {
    const out: BalanceJson[] = [];
    for (const [asset, b] of this.balances) {
      if (omitZero && b.free === 0 && b.locked === 0) continue;
      out.push({ asset, free: this.format(asset, b.free), locked: this.format(asset, b.locked) });
    }
    return out;
  }

  /** GET /api/v3/account. */
  toJson(omitZero: boolean): AccountJson {
    const rate = (r: { units: bigint; scale: number }): string => {
      const units = floorAtScale(r, 8).toString().padStart(9, '0');
      return `${units.slice(0, -8)}.${units.slice(-8)}`;
    };
    const bps = (r: { units: bigint; scale: number }): number => Number(floorAtScale(r, 4));
    return {
      makerCommission: bps(this.makerRate),
      takerCommission: bps(this.takerRate),
      buyerCommission: 0,
      sellerCommission: 0,
      commissionRates: { maker: rate(this.makerRate), taker: rate(this.takerRate), buyer: '0.00000000', seller: '0.00000000' },
      canTrade: this.canTrade,
      canWithdraw: true,
      canDeposit: true,
      brokered: false,
      requireSelfTradePrevention: false,
      preventSor: false,
      updateTime: this.updateTime,
      accountType: 'SPOT',
      balances: this.balancesJson(omitZero),
      permissions: ['SPOT'],
      uid: this.uid,
    };
  }

  /** The changed balances as an outboundAccountPosition "B" list, clearing the change set. */
  takeChanged(): { a: string; f: string; l: string }[] {
    const out: { a: string; f: string; l: string }[] = [];
    for (const asset of this.changed) {
      const b = this.balance(asset);
      out.push({ a: asset, f: this.format(asset, b.free), l: this.format(asset, b.locked) });
    }
    this.changed.clear();
    return out;
  }
}

export interface ApiKeyEntry {
  account: SimAccount;
  key: VerificationKey;
}

export function buildKeyTable(configs: SimAccountConfig[], accounts: Map<string, SimAccount>): Map<string, ApiKeyEntry> {
  const table = new Map<string, ApiKeyEntry>();
  for (const c of configs) {
    const account = accounts.get(c.name)!;
    for (const k of c.apiKeys) {
      const key: VerificationKey = k.type === 'hmac' ? { type: 'hmac', secret: k.secret } : ed25519VerificationKey(k.publicKeyPem);
      table.set(k.apiKey, { account, key });
    }
  }
  return table;
}
