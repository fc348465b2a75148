/*
 * record_defs.h — the files of the kinds table (not a public interface: use
 * record_def.h). Each file holds the kinds of one part of the model.
 */
#ifndef ITSTRAT_RECORD_DEFS_H
#define ITSTRAT_RECORD_DEFS_H
#include "record_def.h"

extern const RecordDef record_defs_strategy[];   /* record_defs_strategy.c: the structure */
extern const size_t record_ndefs_strategy;
extern const RecordDef record_defs_portfolio[];  /* record_defs.c: projects, indicators */
extern const size_t record_ndefs_portfolio;
extern const RecordDef record_defs_registers[];  /* record_defs_registers.c: risks, services,
                                                  * spending, governance, reports */
extern const size_t record_ndefs_registers;

#endif
