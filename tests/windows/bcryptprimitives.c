/* For tests under Wine only, never shipped: Debian 12's Wine 8 has no ProcessPrng in
 * bcryptprimitives.dll, which Rust's std imports for its random numbers (HashMap seeds). This
 * stand-in DLL, put beside the exe, forwards it to RtlGenRandom (advapi32's SystemFunction036). */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG n = length > 0x7fffffff ? 0x7fffffff : (ULONG)length;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        length -= n;
    }
    return TRUE;
}
