#include <windows.h>

int windows_only(void) { return GetTickCount(); }
