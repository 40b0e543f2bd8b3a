/** Open connections per remote address, so one address cannot take every socket. */
export class IpConnections {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** false (and nothing counted) when the address is at its limit. */
  enter(ip: string): boolean {
    const count = this.open.get(ip) ?? 0;
    if (count >= this.max) return false;
    this.open.set(ip, count + 1);
    return true;
  }

  leave(ip: string): void {
    const count = (this.open.get(ip) ?? 1) - 1;
    if (count <= 0) this.open.delete(ip);
    else this.open.set(ip, count);
  }
}
