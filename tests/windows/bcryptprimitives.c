/* TEST ONLY, NEVER SHIPPED: a stand-in for Windows' bcryptprimitives.dll under Wine 8.
 *
 * Rust's standard library (1.78 and later) takes its random numbers from ProcessPrng in
 * bcryptprimitives.dll, which every Windows since 10 has and Wine 8 lacks. scripts/windows-check.sh
 * builds this file with mingw and puts the DLL beside arwatch.exe in its own test folder only;
 * the release archives never contain it (scripts/release.sh checks). */
#include <windows.h>
#define SystemFunction036 NTAPI SystemFunction036
#include <ntsecapi.h>
#undef SystemFunction036

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
