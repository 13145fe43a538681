// What Swift's Glibc module does not export. Declarations only; no logic here.
#ifndef PIZZERIA_CGLIBCEXTRAS_SHIM_H
#define PIZZERIA_CGLIBCEXTRAS_SHIM_H
// glibc's malloc tuning (mallopt).
#include <malloc.h>
// syncfs(2): flush one file system to disk. glibc declares it only under _GNU_SOURCE, which the
// Glibc module is built without; the symbol is in every glibc since 2.14.
int syncfs(int fd);
#endif
