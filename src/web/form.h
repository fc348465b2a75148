/*
 * form.h — HTML forms: the <form> with its CSRF field, labelled fields with
 * their hint and their error next to them, and the list of problems at the
 * top. Every value is escaped by html_printf; nothing here writes raw text
 * from a request.
 *
 * A field's id is "f-NAME"; its hint and error are tied to it with
 * aria-describedby, and a field with an error gets aria-invalid="true", so
 * a screen reader says what is wrong where it is.
 */
#ifndef ITSTRAT_FORM_H
#define ITSTRAT_FORM_H
#include <stddef.h>

#include "http.h"

/* One field's problem, for form_problems() and the field itself. */
typedef struct FormProblem {
    const char *field;  /* the field's name */
    const char *msg;    /* what is wrong and what to do, for a person */
} FormProblem;

typedef struct FormProblems {
    FormProblem *a;     /* in rq's arena */
    size_t n;
} FormProblems;

/* Adds a problem (copied into rq's arena). */
void form_problem(Req *rq, FormProblems *p, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The message of field, or NULL. */
const char *form_problem_of(const FormProblems *p, const char *field);

/* "<form method="post" action=ACTION>" and the hidden _csrf field. */
void form_begin(const Req *rq, Buf *b, const char *action);
/* The submit button (label) and "</form>". */
void form_end(Buf *b, const char *submit_label);

/* A box listing every problem, with links to the fields ("" when none). */
void form_problems(Buf *b, const FormProblems *p);

typedef enum FormKind {
    FORM_TEXT, FORM_PASSWORD, FORM_NUMBER, FORM_DATE, FORM_MONTH, FORM_TEXTAREA, FORM_CODE,
    FORM_CHECKBOX
} FormKind;

/* A labelled field. value may be NULL (empty); hint may be NULL; required
 * marks it; error (may be NULL) is shown under it. autocomplete may be NULL. */
void form_field(Buf *b, FormKind kind, const char *name, const char *label, const char *value,
                const char *hint, int required, const char *error, const char *autocomplete);

/* A labelled <select> of n values with their labels (labels NULL: the
 * values); selected may be NULL; allow_empty adds a first "—" choice. */
void form_select(Buf *b, const char *name, const char *label, const char *const *values,
                 const char *const *labels, size_t n, const char *selected, int allow_empty,
                 const char *hint, const char *error);

/* The number of characters (code points) of the valid UTF-8 text s. */
size_t form_chars(const char *s);

/* 1 when s holds a control character (tab and line breaks included). */
int form_has_control(const char *s);

#endif
