#ifndef LINKAGE_FS_H
#define LINKAGE_FS_H

/// Atomically exchanges two paths (both must exist): Linux renameat2(RENAME_EXCHANGE), macOS
/// renamex_np(RENAME_SWAP). Returns 0, or -1 with errno set (EINVAL or ENOTSUP where the file
/// system or the system cannot exchange).
int linkage_exchange(const char *a, const char *b);

/// Renames `from` to `to` only if `to` does not exist (RENAME_NOREPLACE / RENAME_EXCL).
/// Returns 0, or -1 with errno set (EEXIST when `to` exists).
int linkage_rename_noreplace(const char *from, const char *to);

#endif
