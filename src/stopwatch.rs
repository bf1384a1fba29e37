//! Stage timings for `-v`: the wall time of a stage and the CPU time the whole process spent in
//! it, so that each stage says how many of the machine's cores it kept busy (BENCHMARKS.md's
//! breakdown reads them).

use std::time::{Duration, Instant};

/// One stage's time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lap {
    /// Wall-clock time.
    pub wall: Duration,
    /// CPU time of every thread of the process, user and system; `None` where the system does
    /// not say.
    pub cpu: Option<Duration>,
}

impl Lap {
    /// CPU time over wall time: 2.0 is two cores busy throughout.
    pub fn cores(&self) -> Option<f64> {
        let wall = self.wall.as_secs_f64();
        self.cpu.filter(|_| wall > 0.0).map(|c| c.as_secs_f64() / wall)
    }

    /// As `-v` prints it: `analyse 6.840 s (CPU 10.200 s, 1.5 cores)`; to the millisecond,
    /// which a run of 10,000 invoices needs (its stages take a few each).
    pub fn describe(&self, stage: &str) -> String {
        match (self.cpu, self.cores()) {
            (Some(cpu), Some(cores)) => {
                format!("{stage} {:.3} s (CPU {:.3} s, {cores:.1} cores)", self.wall.as_secs_f64(), cpu.as_secs_f64())
            }
            _ => format!("{stage} {:.3} s", self.wall.as_secs_f64()),
        }
    }
}

/// Started at the beginning of a stage.
pub struct Stopwatch {
    wall: Instant,
    cpu: Option<Duration>,
}

impl Stopwatch {
    /// Now.
    pub fn start() -> Stopwatch {
        Stopwatch { wall: Instant::now(), cpu: process_cpu() }
    }

    /// The time since the start.
    pub fn lap(&self) -> Lap {
        let cpu = match (self.cpu, process_cpu()) {
            (Some(a), Some(b)) => Some(b.saturating_sub(a)),
            _ => None,
        };
        Lap { wall: self.wall.elapsed(), cpu }
    }
}

/// The CPU time the process has used so far, user and system, all threads.
#[cfg(target_os = "linux")]
fn process_cpu() -> Option<Duration> {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return None;
    }
    let of = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Some(of(u.ru_utime) + of(u.ru_stime))
}

/// The CPU time the process has used so far, user and kernel, all threads.
#[cfg(windows)]
fn process_cpu() -> Option<Duration> {
    use windows_sys::Win32::Foundation::FILETIME;
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, GetProcessTimes};
    let zero = FILETIME { dwLowDateTime: 0, dwHighDateTime: 0 };
    let (mut created, mut exited, mut kernel, mut user) = (zero, zero, zero, zero);
    // SAFETY: the current process's pseudo-handle needs no closing; the calls only write the
    // four structs given.
    let ok = unsafe { GetProcessTimes(GetCurrentProcess(), &mut created, &mut exited, &mut kernel, &mut user) };
    if ok == 0 {
        return None;
    }
    // 100-nanosecond units.
    let of =
        |t: FILETIME| Duration::from_nanos(((u64::from(t.dwHighDateTime) << 32) | u64::from(t.dwLowDateTime)) * 100);
    Some(of(kernel) + of(user))
}

/// Elsewhere the system's CPU time is not read.
#[cfg(not(any(target_os = "linux", windows)))]
fn process_cpu() -> Option<Duration> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_stage_shows_its_cpu_and_cores() {
        let w = Stopwatch::start();
        let mut x = 0u64;
        let until = Instant::now() + Duration::from_millis(30);
        while Instant::now() < until {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
        }
        let lap = w.lap();
        assert!(x != 1 && lap.wall >= Duration::from_millis(30));
        if cfg!(any(target_os = "linux", windows)) {
            let cores = lap.cores().expect("the CPU time is read here");
            assert!(cores > 0.3 && cores < 4.0, "{cores} cores for one busy thread");
        }
        let text =
            Lap { wall: Duration::from_millis(2000), cpu: Some(Duration::from_millis(3000)) }.describe("analyse");
        assert_eq!(text, "analyse 2.000 s (CPU 3.000 s, 1.5 cores)");
        assert_eq!(Lap { wall: Duration::from_millis(5), cpu: None }.describe("ingest"), "ingest 0.005 s");
    }
}
