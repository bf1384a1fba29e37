//! What the operating system answers differently on Windows and Linux: whether a process still
//! runs, how much memory is free, the console's code page, and whether a file is held open by
//! another program (Excel locks the workbooks and CSV files it has open).
//!
//! Everything else arwatch does goes through Rust's standard library, which is the same on
//! both (it also lifts Windows' 260-character path limit by itself).

/// Whether a process with this id runs now. A lock file names its owner by process id; a run
/// that finds an owner that no longer runs (killed, crashed, the laptop switched off) takes the
/// lock over.
pub fn process_runs(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    process_exists(pid)
}

#[cfg(target_os = "linux")]
fn process_exists(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(windows)]
fn process_exists(pid: u32) -> bool {
    use windows_sys::Win32::Foundation::{CloseHandle, ERROR_ACCESS_DENIED, GetLastError, STILL_ACTIVE};
    use windows_sys::Win32::System::Threading::{GetExitCodeProcess, OpenProcess, PROCESS_QUERY_LIMITED_INFORMATION};
    // SAFETY: OpenProcess takes plain values; a handle it returns is closed once below.
    let handle = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid) };
    if handle.is_null() {
        // A process of another user (or a protected one) exists but may not be opened; no
        // process of that id gives ERROR_INVALID_PARAMETER.
        // SAFETY: reads the calling thread's last error.
        return unsafe { GetLastError() } == ERROR_ACCESS_DENIED;
    }
    let mut code = 0u32;
    // SAFETY: `handle` is a valid process handle and `code` a valid place for the result.
    let ok = unsafe { GetExitCodeProcess(handle, &mut code) } != 0;
    // SAFETY: the handle was opened above and is not used after.
    unsafe { CloseHandle(handle) };
    // A process that ended but whose handle someone still holds reports its exit code.
    !ok || code == STILL_ACTIVE as u32
}

#[cfg(not(any(target_os = "linux", windows)))]
fn process_exists(_: u32) -> bool {
    // No way to ask here: a lock is trusted until removed by hand (the message says how).
    true
}

/// The memory free for new work, in bytes (4 GiB where the system cannot say).
pub fn available_memory() -> u64 {
    available().unwrap_or(4 << 30)
}

#[cfg(target_os = "linux")]
fn available() -> Option<u64> {
    let m = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kb = m.lines().find_map(|l| l.strip_prefix("MemAvailable:"))?.trim().trim_end_matches("kB").trim();
    kb.parse::<u64>().ok().map(|kb| kb * 1024)
}

#[cfg(windows)]
fn available() -> Option<u64> {
    use windows_sys::Win32::System::SystemInformation::{GlobalMemoryStatusEx, MEMORYSTATUSEX};
    // SAFETY: MEMORYSTATUSEX is plain data; its length field is set as the call requires.
    let mut status: MEMORYSTATUSEX = unsafe { std::mem::zeroed() };
    status.dwLength = std::mem::size_of::<MEMORYSTATUSEX>() as u32;
    // SAFETY: `status` is a valid, sized MEMORYSTATUSEX.
    (unsafe { GlobalMemoryStatusEx(&mut status) } != 0).then_some(status.ullAvailPhys)
}

#[cfg(not(any(target_os = "linux", windows)))]
fn available() -> Option<u64> {
    None
}

/// Makes the console show UTF-8 as UTF-8. Rust writes to a Windows console in UTF-16 already,
/// but `cmd.exe` and PowerShell start in the OEM code page (850 or 437 in Belgium and the
/// Netherlands), which garbles accents for anything that writes bytes (a batch file's `type`,
/// a redirected log shown later); 65001 keeps `Société Générale` whole everywhere.
pub fn console_utf8() {
    #[cfg(windows)]
    {
        use windows_sys::Win32::System::Console::{SetConsoleCP, SetConsoleOutputCP};
        const CP_UTF8: u32 = 65001;
        // SAFETY: plain values; without a console the calls fail harmlessly.
        unsafe {
            SetConsoleOutputCP(CP_UTF8);
            SetConsoleCP(CP_UTF8);
        }
    }
}

/// Whether this process owns its console alone: on Windows, a double-click on `arwatch.exe`
/// (or a file dropped on it) opens a console that closes as soon as the program ends, so the
/// program must wait for Enter before it ends; started from `cmd.exe` or PowerShell it shares
/// their console and must not wait.
pub fn console_is_own() -> bool {
    #[cfg(windows)]
    {
        use windows_sys::Win32::System::Console::GetConsoleProcessList;
        let mut ids = [0u32; 4];
        // SAFETY: the buffer and its length agree.
        let n = unsafe { GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) };
        n == 1
    }
    #[cfg(not(windows))]
    {
        false
    }
}

/// Whether an error means that another program holds the file open (Windows' sharing and lock
/// violations: Excel keeps the workbooks and CSV files it shows locked).
pub fn held_by_another_program(e: &std::io::Error) -> bool {
    // ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION; Linux never locks a file this way.
    cfg!(windows) && matches!(e.raw_os_error(), Some(32 | 33))
}

/// What to tell the person when another program holds `name` open.
pub fn close_it_first(name: &str) -> String {
    format!(
        "{name} is open in another program, probably Excel: close it in Excel (or the program that has it open) and run again"
    )
}

/// A path as the data files name it: with `/` between folders on every system (Windows takes
/// `/` as well as `\`), so that the same inputs give byte-identical data files on Windows and
/// Linux.
pub fn portable(path: &std::path::Path) -> String {
    let shown = path.display().to_string();
    if cfg!(windows) { shown.replace('\\', "/") } else { shown }
}

/// Names Windows refuses for a file or folder, whatever the extension.
const WINDOWS_RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2",
    "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Whether Windows accepts `name` as a file or folder name (and Linux, which accepts more):
/// none of `<>:"/\|?*` or control characters, no reserved device name (`CON`, `nul.txt`),
/// not ending in a dot or a space, not `.` or `..`.
pub fn windows_accepts(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default().trim_end();
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.ends_with(['.', ' '])
        && !name.chars().any(|c| c.is_control() || "<>:\"/\\|?*".contains(c))
        && !WINDOWS_RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_runs_and_an_impossible_one_does_not() {
        assert!(process_runs(std::process::id()));
        // Above Linux's pid_max and never a Windows process id (those are multiples of 4).
        assert!(!process_runs(4_294_967_295));
    }

    #[test]
    fn a_child_that_ended_no_longer_runs() {
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .arg("--list")
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let pid = child.id();
        assert!(process_runs(pid), "a child still being waited on exists");
        child.wait().unwrap();
        assert!(!process_runs(pid));
    }

    #[test]
    fn some_memory_is_available() {
        let m = available_memory();
        assert!(m > 16 << 20 && m < 1 << 50, "{m}");
    }

    #[test]
    fn only_windows_sharing_errors_are_held_files() {
        let sharing = std::io::Error::from_raw_os_error(32);
        assert_eq!(held_by_another_program(&sharing), cfg!(windows));
        assert!(!held_by_another_program(&std::io::Error::from(std::io::ErrorKind::NotFound)));
        assert!(close_it_first("x.csv").contains("close it in Excel"));
    }

    #[test]
    fn names_windows_refuses_are_known() {
        for ok in ["creditor-01", "Brasserie Wéry", "a.b", "CONSOLE", "2026-10"] {
            assert!(windows_accepts(ok), "{ok}");
        }
        for bad in [
            "",
            ".",
            "..",
            "a:b",
            "a/b",
            "a\\b",
            "what?",
            "x*",
            "trailing.",
            "trailing ",
            "CON",
            "nul.txt",
            "Com1",
            "tab\t",
        ] {
            assert!(!windows_accepts(bad), "{bad}");
        }
    }
}
