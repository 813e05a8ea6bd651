import { readFileSync, writeFileSync } from 'node:fs';

/**
 * What a server process costs, read from /proc (ARCHITECTURE.md §5: `ps` has a 1 s resolution).
 * Every reading is of one process id: the server runs as `taskset … node …`, which execs node.
 */

/** Clock ticks per second of /proc/PID/stat (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return line ? Number(line.replace(/\D+/g, '')) : NaN;
}

/** Resident memory now, in MiB. */
export function rssMiB(pid: number): number {
  return statusKiB(pid, 'VmRSS') / 1024;
}

/** Peak resident memory since the process started or since `resetPeakRss`, in MiB. */
export function peakRssMiB(pid: number): number {
  return statusKiB(pid, 'VmHWM') / 1024;
}

/** Starts a new peak-RSS window (writing 5 to clear_refs resets VmHWM to the current RSS). */
export function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not permitted here: the peak then counts from the process's start
  }
}

/**
 * Bytes the process caused to be written to storage (`write_bytes`, counted when it dirties the
 * page cache, so SQLite's WAL appends show at once; sockets do not count).
 */
export function bytesWritten(pid: number): number {
  const line = readFileSync(`/proc/${pid}/io`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('write_bytes'));
  return line ? Number(line.split(':')[1]) : NaN;
}

/** A window of CPU, peak RSS and bytes written, opened now and read by `close`. */
export function openWindow(pid: number): () => { seconds: number; cpuPercent: number; peakRssMiB: number; writtenMiB: number } {
  resetPeakRss(pid);
  const cpu = cpuSeconds(pid);
  const written = bytesWritten(pid);
  const start = performance.now();
  return () => {
    const seconds = (performance.now() - start) / 1000;
    return {
      seconds,
      cpuPercent: ((cpuSeconds(pid) - cpu) / seconds) * 100,
      peakRssMiB: peakRssMiB(pid),
      writtenMiB: (bytesWritten(pid) - written) / 1048576,
    };
  };
}
