/*
 * signin.h — the rules of signing in that other pages reuse (page_login.c).
 */
#ifndef ITSTRAT_SIGNIN_H
#define ITSTRAT_SIGNIN_H

#include "http.h"
#include "store_users.h"

/* Checks a password re-entered on an account page (to change it, to turn
 * off the second factor...) as sign-in checks one: 1 when it is u's; 0 when
 * it is not, counted as a failed sign-in of the account and the address (so
 * a stolen session cannot guess at full speed: after a few the account is
 * locked and every answer is 0 until the lock ends). A database error is
 * logged and answers 0: it fails closed. */
int signin_password_again(Req *rq, const UserRow *u, const char *pw);

#endif
