/** Faults a test or the lab operator can inject into one simulated router. */
export interface FaultSettings {
  /** Delay before each command is handled, like a slow link (Starlink ≈ 50 ms). */
  latencyMs: number;
  /** Accept and immediately close new connections, as a router does for a disallowed address. */
  refuseConnections: boolean;
  /** Write replies in tiny pieces, one per event-loop turn, so clients see every possible segmentation. */
  fragmentReplies: boolean;
  /** Drop the connection when one of these commands arrives (counted down per hit). */
  readonly drops: Map<string, { remaining: number; apply: boolean }>;
  /** Answer these commands with a trap instead of running them. */
  readonly traps: Map<string, { message: string; category?: number }>;
}

export function noFaults(latencyMs = 0): FaultSettings {
  return { latencyMs, refuseConnections: false, fragmentReplies: false, drops: new Map(), traps: new Map() };
}
