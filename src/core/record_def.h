/*
 * record_def.h — what a form or the API may edit: every kind of record of
 * the model, its fields and its SQL, in one table (record_defs.c).
 *
 * A RecordDef describes one table of the schema as people edit it: its
 * fields (each with a type, a range or choices, and whether it is
 * required), the record it belongs to (its parent: the strategy, or another
 * record), who besides managers may change it (contributors, on the
 * projects and indicators assigned to them), and its SQL as literals with
 * named binds:
 *
 *   get         by :id -> the columns id, version, strategy_id, parent_id,
 *               key (the audit key, "2018-21/DC.1"), label (the record's
 *               name for people; "label", not "title", which is a field of
 *               many kinds), scope_project, scope_indicator (the project or
 *               indicator a contributor must be assigned to; NULL when
 *               none), then one column per field, named as the field (a
 *               reference as the code it points to)
 *   list        by :sid and :parent (NULL: every record of the strategy)
 *               -> id, label, version, in the order of the report, and for
 *               kinds that others refer to by code, a 4th column "code"
 *               (forms then offer the records as choices)
 *   insert      binds :sid, :parent and every field (a reference as the id
 *               it resolves to); computes sort itself
 *   update      binds :id, :version and every field; must also set
 *               version = version + 1 and match only WHERE id = :id AND
 *               version = :version, so that a stale save changes nothing
 *   delete      by :id and :version
 *   dependents  by :id -> (what, label) rows: the records that go with it
 *               or point at it, shown before a delete
 *   find        by :sid and :code -> id (references to this kind use it);
 *               NULL when nothing refers to this kind by code
 *
 * The store (store_record.c) runs these; the validator (src/io/record.c)
 * checks values with the importer's own field readers, so a form, the API
 * and an imported document are held to the same rules.
 */
#ifndef ITSTRAT_RECORD_DEF_H
#define ITSTRAT_RECORD_DEF_H
#include <stddef.h>
#include <stdint.h>

typedef enum RecordFieldType {
    RF_TEXT,      /* one line of text, at most max characters */
    RF_MARKDOWN,  /* Markdown, at most max characters */
    RF_CODE,      /* a code: 1-64 of A-Z a-z 0-9 . _ - */
    RF_INT,       /* a whole number in [lo, hi] */
    RF_YEAR,      /* a year; lo = 1: within the strategy's period */
    RF_REAL,      /* a number in [lo, hi] */
    RF_MONEY,     /* an amount with at most two decimals, kept in cents */
    RF_CURRENCY,  /* ISO 4217 code */
    RF_DATE,      /* YYYY-MM-DD */
    RF_MONTH,     /* YYYY-MM */
    RF_PERIOD,    /* a year or a biennium of the strategy */
    RF_BOOL,      /* true or false */
    RF_ENUM,      /* one of values */
    RF_REF,       /* the code of a record of kind ref in the same strategy */
    RF_LIST       /* a list kept in a table of its own (a project's work-plan years, the
                   * projects a decision names): items separated by spaces or commas (lo =
                   * 1: texts separated by commas only, such as tags), or a JSON array; at
                   * most hi items; read back as one text, items in order.
                   * values[] holds its SQL instead of choices: {clear, add, find, noun}: clear
                   * deletes the items of record :id; add inserts :item at :sort for record
                   * :id (with :sid); find (NULL for years of the strategy's period) returns a
                   * row when :item may be in the list of a record of strategy :sid; noun
                   * names an item in messages ("project"). */
} RecordFieldType;

typedef struct RecordField {
    const char *name;            /* JSON member, form field, SQL bind and column */
    const char *label;           /* for people */
    RecordFieldType type;
    int required;
    int64_t lo, hi;              /* RF_INT, RF_REAL range; RF_TEXT/RF_MARKDOWN: hi = max chars */
    const char *const *values;   /* RF_ENUM: NULL-terminated */
    const char *ref;             /* RF_REF: name of the RecordDef referred to */
    const char *hint;            /* a line under the field, or NULL */
} RecordField;

struct Db;
struct RecordCheck;

typedef struct RecordDef {
    const char *name;            /* "project": URL segment and audit entity */
    const char *label;           /* "project" (lower case, for sentences) */
    const char *plural;          /* "Projects" (a heading) */
    const char *parent;          /* name of the parent kind, or NULL: the strategy */
    int contributor;             /* 1: contributors may change it within their assignments */
    int immutable_parent;        /* always 1 today: a record does not move to another parent */
    const RecordField *fields;   /* ended by {NULL} */
    const char *sql_get, *sql_list, *sql_insert, *sql_update, *sql_delete, *sql_dependents,
        *sql_find;
    /* Rules across fields (e.g. a project's one home), or NULL: called after
     * each field passed; reports with record_check_problem(). */
    void (*check)(struct RecordCheck *c);
} RecordDef;

/* The number of kinds, and kind k (0 <= k < record_def_count()), in the
 * order pages list them. */
size_t record_def_count(void);
const RecordDef *record_def_at(size_t k);

/* The definition called name, or NULL. */
const RecordDef *record_def(const char *name);

/* The field called name of d, or NULL. */
const RecordField *record_field(const RecordDef *d, const char *name);


/* ---- Values and problems, shared by the store, the validator and checks ---- */

/* One field's value, checked and ready to bind (parallel to fields[]). */
typedef struct RecordValue {
    int null;           /* bind NULL */
    int64_t i;          /* RF_INT, RF_YEAR, RF_MONEY (cents), RF_BOOL, RF_REF (the id) */
    double d;           /* RF_REAL */
    const char *s;      /* text types (borrowed from the input) */
} RecordValue;

#define RECORD_MAX_PROBLEMS 40

/* What is wrong with a record's values, field by field. */
typedef struct RecordProblems {
    struct {
        char field[64];  /* the field's name; "" for the record as a whole */
        char msg[400];   /* for a person: what is wrong and what to write */
    } a[RECORD_MAX_PROBLEMS];
    int n;
} RecordProblems;

/* Adds a problem (kept when there is room). */
void record_problem(RecordProblems *p, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* What a RecordDef's check() sees: the values of every field (vals[k] is
 * fields[k]'s), the database, the strategy and the record being changed
 * (0 when it is being created). */
typedef struct RecordCheck {
    const RecordDef *def;
    const RecordValue *vals;
    struct Db *db;
    int64_t sid, id, parent;
    RecordProblems *problems;
} RecordCheck;

/* The value of field name in c (NULL when the kind has no such field). */
const RecordValue *record_check_value(const RecordCheck *c, const char *name);

/* Reports "the end cannot come before the start" when both date fields of
 * c are given and in the wrong order. */
void record_check_dates(RecordCheck *c, const char *start, const char *end);

#endif
