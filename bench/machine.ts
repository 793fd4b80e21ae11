import { readFileSync } from "node:fs";
import { arch, cpus, loadavg, platform, release, totalmem, type, version } from "node:os";

export interface Machine {
  os: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  date: string;
  /** 1, 5 and 15 minute load averages when the run started: above ~0.5 other work shares the cores. */
  loadAverage: number[];
}

/** Pretty name of the Linux distribution, when there is one. */
function distribution(): string | null {
  try {
    const text = readFileSync("/etc/os-release", "utf8");
    const match = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text);
    return match?.[1] ?? null;
  } catch {
    return null;
  }
}

export function describeMachine(): Machine {
  const distro = platform() === "linux" ? distribution() : null;
  return {
    os: `${type()} ${release()} ${arch()}${distro ? ` (${distro})` : ""} — ${version()}`,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    date: new Date().toISOString(),
    loadAverage: loadavg().map((v) => Math.round(v * 100) / 100),
  };
}
