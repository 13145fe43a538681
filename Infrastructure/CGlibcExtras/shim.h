// What Swift's Glibc module does not export. Declarations only; no logic here.
#ifndef PIZZERIA_CGLIBCEXTRAS_SHIM_H
#define PIZZERIA_CGLIBCEXTRAS_SHIM_H
// glibc's malloc tuning (mallopt).
#include <malloc.h>
// syncfs(2): flush one file system to disk. glibc declares it only under _GNU_SOURCE, which the
// Glibc module is built without; the symbol is in every glibc since 2.14.
int syncfs(int fd);
// pthread_setname_np(3): the thread's name in /proc (ps -L, top -H, perf). Also _GNU_SOURCE only;
// in glibc since 2.12.
#include <pthread.h>
int pthread_setname_np(pthread_t thread, const char *name);
// sched_setaffinity(2), sched_getaffinity(2): which CPUs a thread may run on. _GNU_SOURCE only as well (as is cpu_set_t,
// hence the untyped mask: a bit per CPU, as many bytes as `cpusetsize`); in glibc since 2.3.4.
#include <sys/types.h>
int sched_setaffinity(pid_t pid, size_t cpusetsize, const void *mask);
int sched_getaffinity(pid_t pid, size_t cpusetsize, void *mask);
#endif
