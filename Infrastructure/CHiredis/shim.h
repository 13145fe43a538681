// Shim for hiredis. Holds no logic: Swift reaches commands through the `...Argv` functions
// (`redisCommandArgv`, `redisAppendCommandArgv`), never the variadic `redisCommand`.
#ifndef PIZZERIA_CHIREDIS_SHIM_H
#define PIZZERIA_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#endif
