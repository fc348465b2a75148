/*
 * testhook.h — named points where a test can stop the program.
 *
 * ITSTRAT_TEST_PAUSE_AT=POINT (or POINT:N) makes the process raise SIGSTOP on
 * itself when it reaches POINT (for the N-th time, counted by the caller), so
 * that a test can act at an exact moment — kill -9 an import half-way, or
 * while its commit is in progress — instead of at a fraction of a measured
 * duration. The test waits until the process is stopped (state T in
 * /proc/PID/stat), does what it means to do, and then kills or continues it.
 * Without the variable the points cost one comparison. This is a test hook,
 * not a feature: nothing but a test sets the variable.
 *
 * The points (tests/cli/test_kill_import.sh uses them):
 *   import-project:N    the JSON import has stored its N-th project (inside
 *                       its transaction)
 *   import-commit       every row of the JSON import and its audit entry are
 *                       written, COMMIT not yet issued
 *   import-committed    the JSON import's COMMIT has returned
 */
#ifndef ITSTRAT_TESTHOOK_H
#define ITSTRAT_TESTHOOK_H

/* Stops the process when ITSTRAT_TEST_PAUSE_AT names point, and, when it
 * gives a count (":N"), n equals it. Safe to call from any thread. */
void testhook_pause(const char *point, long n);

#endif
