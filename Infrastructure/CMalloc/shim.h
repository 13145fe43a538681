// glibc's malloc tuning (mallopt), which the Glibc module does not export. No logic here.
#ifndef PIZZERIA_CMALLOC_SHIM_H
#define PIZZERIA_CMALLOC_SHIM_H
#include <malloc.h>
#endif
