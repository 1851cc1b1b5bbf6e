#ifndef ONESTOP_SYSTEM_H
#define ONESTOP_SYSTEM_H

/// Atomically swaps two paths (Linux renameat2 RENAME_EXCHANGE). Returns 0, or -1 with errno set
/// (ENOSYS/EINVAL where the kernel or file system cannot exchange).
int onestop_exchange_paths(const char *from, const char *to);

/// Renames a path, failing with EEXIST instead of replacing what is at the destination (Linux
/// renameat2 RENAME_NOREPLACE). Returns 0, or -1 with errno set (ENOSYS/EINVAL where the kernel
/// or file system cannot do it).
int onestop_rename_noreplace(const char *from, const char *to);

#endif
