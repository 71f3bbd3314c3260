// Umbrella over the installed libxlsxwriter headers (apt: libxlsxwriter-dev).
// No libxlsxwriter header is copied into this repository.
#ifndef LINKAGE_CXLSXWRITER_SHIM_H
#define LINKAGE_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
