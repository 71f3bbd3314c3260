// Swift's Glibc module does not declare renameat2 (it needs _GNU_SOURCE), so the two renames
// the output folders rely on are wrapped here.
#define _GNU_SOURCE
#include "linkage_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static int linkage_renameat2(const char *from, const char *to, unsigned int flags) {
    // The system call rather than glibc's wrapper, which older C libraries lack.
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
}

int linkage_exchange(const char *a, const char *b) { return linkage_renameat2(a, b, RENAME_EXCHANGE); }
int linkage_rename_noreplace(const char *from, const char *to) { return linkage_renameat2(from, to, RENAME_NOREPLACE); }

#elif defined(__APPLE__)
int linkage_exchange(const char *a, const char *b) { return renamex_np(a, b, RENAME_SWAP); }
int linkage_rename_noreplace(const char *from, const char *to) { return renamex_np(from, to, RENAME_EXCL); }

#else
int linkage_exchange(const char *a, const char *b) { (void)a; (void)b; errno = ENOTSUP; return -1; }
int linkage_rename_noreplace(const char *from, const char *to) { (void)from; (void)to; errno = ENOTSUP; return -1; }
#endif
