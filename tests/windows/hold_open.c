/* TEST ONLY: holds a file open the way Excel does (no sharing), so that scripts/windows-check.sh
 * can check what arwatch.exe says about an export left open in Excel. It writes its process id
 * to the file named second (so the check can also use it as a running process that owns a lock),
 * then waits until the file named third exists, or 60 seconds.
 *
 *   hold_open.exe FILE PIDFILE STOPFILE */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv) {
    if (argc != 4) {
        fwprintf(stderr, L"usage: hold_open FILE PIDFILE STOPFILE\n");
        return 2;
    }
    HANDLE h = CreateFileW(argv[1], GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        fwprintf(stderr, L"hold_open: cannot open %ls: error %lu\n", argv[1], GetLastError());
        return 1;
    }
    FILE *pid = _wfopen(argv[2], L"w");
    if (!pid) return 1;
    fprintf(pid, "%lu", GetCurrentProcessId());
    fclose(pid);
    for (int i = 0; i < 600; i++) {
        if (GetFileAttributesW(argv[3]) != INVALID_FILE_ATTRIBUTES) break;
        Sleep(100);
    }
    CloseHandle(h);
    return 0;
}
