// Pauses a producer while any consumer is behind. Each consumer (the server-side screen
// mirror, the socket, the page's renderer) holds its own reason; the producer runs only when
// no reason is held. Keeping reasons separate means one consumer catching up never resumes
// output another one still cannot take.

export class Backpressure {
  private readonly held = new Set<string>();
  constructor(
    private readonly pause: () => void,
    private readonly resume: () => void,
  ) {}

  hold(reason: string): void {
    if (this.held.has(reason)) return;
    this.held.add(reason);
    if (this.held.size === 1) this.pause();
  }

  release(reason: string): void {
    if (!this.held.delete(reason)) return;
    if (this.held.size === 0) this.resume();
  }

  get paused(): boolean {
    return this.held.size > 0;
  }

  get reasons(): string[] {
    return [...this.held];
  }
}

/** Counts bytes in flight for one consumer and holds/releases its reason at the water marks. */
export class Watermark {
  private inFlight = 0;
  constructor(
    private readonly bp: Backpressure,
    private readonly reason: string,
    private readonly high: number,
    private readonly low: number,
  ) {}

  add(n: number): void {
    this.inFlight += n;
    if (this.inFlight > this.high) this.bp.hold(this.reason);
  }

  done(n: number): void {
    this.inFlight = Math.max(0, this.inFlight - n);
    if (this.inFlight < this.low) this.bp.release(this.reason);
  }

  reset(): void {
    this.inFlight = 0;
    this.bp.release(this.reason);
  }

  get bytes(): number {
    return this.inFlight;
  }
}
