#ifndef LINKAGE_FS_H
#define LINKAGE_FS_H

/// Atomically exchanges two paths (both must exist): Linux renameat2(RENAME_EXCHANGE), macOS
/// renamex_np(RENAME_SWAP). Returns 0, or -1 with errno set (EINVAL or ENOTSUP where the file
/// system or the system cannot exchange).
int linkage_exchange(const char *a, const char *b);

/// Renames `from` to `to` only if `to` does not exist (RENAME_NOREPLACE / RENAME_EXCL).
/// Returns 0, or -1 with errno set (EEXIST when `to` exists).
int linkage_rename_noreplace(const char *from, const char *to);

/// Gives the calling thread alone the lowest scheduling priority (nice 19), so that it runs on
/// what other threads leave idle: Linux keeps a nice value per thread. Returns 0, or -1 where
/// the system cannot (the thread then keeps its priority).
int linkage_lower_thread_priority(void);

#endif
