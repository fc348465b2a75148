/*
 * gen.c — a synthetic IT strategy of any size.
 *
 * The shape follows the ILO model: a four-year strategy with two bienniums,
 * three outcomes with three or four outputs each, six cross-cutting drivers,
 * indicators with milestones and measurements, and a portfolio whose homes,
 * categories, statuses, budgets, roll-outs, dependencies and updates have
 * plausible distributions. Everything comes from one splitmix64 stream, so a
 * seed always gives the same bytes. Dependencies only point to earlier
 * projects, so there is never a cycle.
 */
#include "gen.h"

#include <stdio.h>
#include <string.h>

#define FIRST_YEAR 2022
#define NYEARS 4

typedef struct Rng { uint64_t s; } Rng;

static uint64_t rng_next(Rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* A whole number in [0, n). */
static long rng_below(Rng *r, long n) { return n > 0 ? (long)(rng_next(r) % (uint64_t)n) : 0; }
/* 1 with probability pct/100. */
static int rng_pct(Rng *r, int pct) { return rng_below(r, 100) < pct; }
#define PICK(r, a) ((a)[rng_below((r), (long)(sizeof(a) / sizeof *(a)))])

static const char *const outcome_titles[] = {
    "A more efficient organization", "A more insightful organization",
    "A more collaborative organization"};
static const char *const output_titles[][4] = {
    {"Increased scope and availability of IT services on the go",
     "A more enriched and secure desktop experience",
     "More fit-for-purpose administrative applications",
     "Highly available IT services in all locations"},
    {"Improved quality and use of data", "Enhanced and actionable business intelligence",
     "More fit-for-purpose web-based dashboards", "Better managed enterprise content"},
    {"Enriched collaboration tools in support of substantive delivery",
     "An intranet tailored to the needs of staff", "An improved public website", NULL}};
static const char *const driver_codes[] = {
    "security", "governance", "service-levels", "change", "partnerships", "risk"};
static const char *const driver_titles[] = {
    "Information security", "IT governance", "Service-level management", "Change management",
    "External partnerships", "Risk management"};
static const char *const cat_codes[] = {
    "new-service", "major-improvement", "minor-improvement", "maintenance", "compliance",
    "infrastructure"};
static const char *const cat_names[] = {
    "New service offering", "Major improvement", "Minor improvement", "Maintenance and upgrade",
    "Compliance and audit", "Infrastructure renewal"};
static const int cat_weights[] = {22, 38, 16, 12, 6, 6};
static const char *const verbs[] = {
    "Implementation of", "Upgrade of", "Roll-out of", "Migration of", "Redesign of",
    "Automation of", "Replacement of", "Consolidation of", "Pilot of", "Enhancement of"};
static const char *const objects[] = {
    "the enterprise resource planning system", "multi-factor authentication",
    "the service desk ticketing system", "the document management platform",
    "the data warehouse", "the procurement planning application", "the intranet",
    "the public website", "the mission reporting tool", "video conferencing rooms",
    "laptop disk encryption", "the records management system", "the travel module",
    "the recruitment portal", "the payroll interface", "cloud storage",
    "the security operations centre", "vulnerability scanning", "the knowledge base",
    "the e-signature service", "the statistics dissemination platform",
    "the learning management system", "the emergency notification system",
    "the identity management service", "network connectivity", "the translation workflow",
    "the results-based dashboard", "the donor reporting interface", "mobile device management",
    "the backup and recovery service"};
static const char *const qualifiers[] = {
    "at headquarters", "in regional offices", "for field projects", "for all staff",
    "for constituents", "in the cloud", "phase 2", "for external partners", "", "", "", ""};
static const char *const units[] = {
    "INFOTEC", "FINANCE", "HRD", "PROCUREMENT", "DCOMM", "STATISTICS", "NORMES", "PARDEV",
    "EVAL", "SKILLS", "RO-AFRICA", "RO-ASIA"};
static const char *const regions[] = {"Africa", "Americas", "Arab States", "Asia and the Pacific",
                                      "Europe and Central Asia"};
static const char *const sentences[] = {
    "The solution was deployed to all users in the scope of the project.",
    "User acceptance testing was completed with the business owners.",
    "Training sessions were organized for the staff concerned.",
    "The vendor was selected following a competitive tender.",
    "Data migration from the legacy system was completed and verified.",
    "The project was delayed by supply chain difficulties and will resume next year.",
    "Feedback from the pilot community is being collected to decide on a wider roll-out.",
    "The new service reduced processing time for the business units involved.",
    "Security controls were reviewed and approved before go-live.",
    "The governance committee approved the business case.",
    "Integration with the enterprise resource planning system was tested end to end.",
    "Usage figures show steady adoption across locations."};
static const char *const tags[] = {
    "cloud", "security", "covid-19", "field", "mobile", "data", "automation", "accessibility",
    "records", "collaboration"};
static const char *const risk_titles[] = {
    "Cyberattack compromising confidential data", "Failure of a critical IT service",
    "Loss of key IT staff", "Vendor lock-in for core platforms",
    "Insufficient funding for lifecycle replacement", "Data protection breach by a partner",
    "Low user adoption of new services", "Disruption of connectivity in field offices",
    "Obsolete applications no longer supported", "Project overruns on major initiatives",
    "Inadequate disaster recovery capability", "Identity theft of staff accounts",
    "Non-compliance with donor reporting requirements", "Shadow IT outside governance"};
static const char *const services[] = {
    "Email and calendar", "Enterprise resource planning", "Service desk", "Network and internet",
    "Video conferencing", "Document management", "Public website", "Intranet", "Identity and access",
    "Data warehouse", "Backup and recovery", "Telephony"};

/* Writes a paragraph of k sentences. */
static void gen_text(Rng *r, Buf *b, int k)
{
    for (int i = 0; i < k; i++) {
        if (i) buf_putc(b, ' ');
        buf_puts(b, PICK(r, sentences));
    }
}

static void gen_categories(JsonW *w)
{
    jw_key(w, "categories");
    jw_array(w);
    for (size_t i = 0; i < 6; i++) {
        jw_object(w);
        jw_key(w, "code"), jw_string(w, cat_codes[i]);
        jw_key(w, "name"), jw_string(w, cat_names[i]);
        if (i < 2) jw_key(w, "new_or_major"), jw_bool(w, 1);
        jw_end(w);
    }
    jw_end(w);
}

static void gen_locations(JsonW *w, int *nloc)
{
    char code[32], name[96];
    int n = 0;
    jw_key(w, "locations");
    jw_array(w);
    jw_object(w);
    jw_key(w, "code"), jw_string(w, "HQ");
    jw_key(w, "name"), jw_string(w, "Headquarters");
    jw_key(w, "kind"), jw_string(w, "headquarters");
    jw_end(w), n++;
    for (int d = 0; d < 8; d++) {
        snprintf(code, sizeof code, "DEP-%02d", d + 1);
        jw_object(w);
        jw_key(w, "code"), jw_string(w, code);
        jw_key(w, "name"), jw_string(w, units[d]);
        jw_key(w, "kind"), jw_string(w, "department");
        jw_key(w, "parent"), jw_string(w, "HQ");
        jw_end(w), n++;
    }
    for (int g = 0; g < 5; g++) {
        snprintf(code, sizeof code, "RO-%d", g + 1);
        jw_object(w);
        jw_key(w, "code"), jw_string(w, code);
        snprintf(name, sizeof name, "Regional Office for %s", regions[g]);
        jw_key(w, "name"), jw_string(w, name);
        jw_key(w, "kind"), jw_string(w, "region");
        jw_end(w), n++;
        for (int o = 0; o < 8; o++) {
            char parent[32];
            snprintf(parent, sizeof parent, "RO-%d", g + 1);
            snprintf(code, sizeof code, "CO-%d%02d", g + 1, o + 1);
            snprintf(name, sizeof name, "Country Office %d-%02d (%s)", g + 1, o + 1, regions[g]);
            jw_object(w);
            jw_key(w, "code"), jw_string(w, code);
            jw_key(w, "name"), jw_string(w, name);
            jw_key(w, "kind"), jw_string(w, "office");
            jw_key(w, "parent"), jw_string(w, parent);
            jw_end(w), n++;
        }
    }
    jw_end(w);
    *nloc = n;
}

/* Code of location i in the order gen_locations writes them. */
static void gen_location_code(int i, char *out, size_t n)
{
    if (i == 0) snprintf(out, n, "HQ");
    else if (i <= 8) snprintf(out, n, "DEP-%02d", i);
    else {
        int k = i - 9, g = k / 9, o = k % 9;
        if (o == 0) snprintf(out, n, "RO-%d", g + 1);
        else snprintf(out, n, "CO-%d%02d", g + 1, o);
    }
}

static void gen_outcomes(Rng *r, JsonW *w)
{
    Buf t = BUF_INIT;
    jw_key(w, "outcomes");
    jw_array(w);
    for (int o = 0; o < 3; o++) {
        jw_object(w);
        jw_key(w, "number"), jw_int(w, o + 1);
        jw_key(w, "title"), jw_string(w, outcome_titles[o]);
        buf_reset(&t);
        gen_text(r, &t, 2);
        jw_key(w, "description"), jw_string(w, buf_str(&t));
        jw_key(w, "outputs");
        jw_array(w);
        for (int k = 0; k < 4 && output_titles[o][k]; k++) {
            char code[8];
            snprintf(code, sizeof code, "%d.%d", o + 1, k + 1);
            jw_object(w);
            jw_key(w, "code"), jw_string(w, code);
            jw_key(w, "title"), jw_string(w, output_titles[o][k]);
            jw_key(w, "deliverables");
            jw_array(w);
            for (int d = 0; d < 2; d++) {
                buf_reset(&t);
                buf_printf(&t, "%s %s", PICK(r, verbs), PICK(r, objects));
                jw_string(w, buf_str(&t));
            }
            jw_end(w);
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
    jw_key(w, "drivers");
    jw_array(w);
    for (int d = 0; d < 6; d++) {
        jw_object(w);
        jw_key(w, "code"), jw_string(w, driver_codes[d]);
        jw_key(w, "title"), jw_string(w, driver_titles[d]);
        jw_end(w);
    }
    jw_end(w);
    buf_free(&t);
}

/* The output code of index k (0..10) in the order gen_outcomes writes. */
static const char *const output_codes[] = {"1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3",
                                           "2.4", "3.1", "3.2", "3.3"};

static void gen_indicators(Rng *r, JsonW *w, int nkri)
{
    char code[32], title[160];
    jw_key(w, "indicators");
    jw_array(w);
    int total = 11 + 6 + nkri;
    for (int i = 0; i < total; i++) {
        int kind = i < 11 ? 0 : i < 17 ? 1 : 2;
        jw_object(w);
        if (kind == 0) snprintf(code, sizeof code, "OI-%s", output_codes[i]);
        else if (kind == 1) snprintf(code, sizeof code, "KPI-%d", i - 10);
        else snprintf(code, sizeof code, "KRI-%02d", i - 16);
        jw_key(w, "code"), jw_string(w, code);
        jw_key(w, "kind"), jw_string(w, kind == 0 ? "outcome" : kind == 1 ? "kpi" : "kri");
        if (kind == 2) snprintf(title, sizeof title, "Incidents related to: %s",
                                risk_titles[(i - 17) % 14]);
        else snprintf(title, sizeof title, "Share of staff satisfied with %s", PICK(r, objects));
        jw_key(w, "title"), jw_string(w, title);
        if (kind == 0) jw_key(w, "output"), jw_string(w, output_codes[i]);
        else if (kind == 1) jw_key(w, "driver"), jw_string(w, driver_codes[i - 11]);
        int down = kind == 2;
        jw_key(w, "unit"), jw_string(w, down ? "incidents" : "%");
        jw_key(w, "direction"), jw_string(w, down ? "down" : "up");
        double base = down ? 20 + (double)rng_below(r, 30) : 40 + (double)rng_below(r, 30);
        double target = down ? base / 4 : base + 20 + (double)rng_below(r, 10);
        jw_key(w, "baseline");
        jw_object(w);
        jw_key(w, "value"), jw_double(w, base);
        jw_key(w, "year"), jw_int(w, FIRST_YEAR - 1);
        jw_end(w);
        jw_key(w, "milestones");
        jw_array(w);
        jw_object(w);
        jw_key(w, "period"), jw_string(w, "2022-23");
        jw_key(w, "value"), jw_double(w, (base + target) / 2);
        jw_end(w);
        jw_object(w);
        jw_key(w, "period"), jw_string(w, "2024-25");
        jw_key(w, "value"), jw_double(w, target);
        jw_end(w);
        jw_end(w);
        jw_key(w, "target"), jw_double(w, target);
        jw_key(w, "measurements");
        jw_array(w);
        double v = base;
        for (int y = 0; y < NYEARS - 1; y++) {
            char date[16];
            snprintf(date, sizeof date, "%d-12-31", FIRST_YEAR + y);
            v += (target - base) * (double)(20 + rng_below(r, 25)) / 100.0;
            jw_object(w);
            jw_key(w, "date"), jw_string(w, date);
            jw_key(w, "value"), jw_double(w, (double)(long)(v * 10) / 10);
            jw_key(w, "source"), jw_string(w, "Annual IT survey");
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
}

static void gen_project(Rng *r, JsonW *w, long i, long n, int nloc, Buf *t)
{
    char code[32], s[160];
    int h = (int)rng_below(r, 100);
    snprintf(code, sizeof code, "P%06ld", i + 1);
    jw_object(w);
    jw_key(w, "code"), jw_string(w, code);
    const char *q = PICK(r, qualifiers);
    snprintf(s, sizeof s, "%s %s%s%s", PICK(r, verbs), PICK(r, objects), *q ? " " : "", q);
    jw_key(w, "title"), jw_string(w, s);
    buf_reset(t);
    gen_text(r, t, 1 + (int)rng_below(r, 2));
    jw_key(w, "summary"), jw_string(w, buf_str(t));
    if (h < 80) jw_key(w, "output"), jw_string(w, output_codes[rng_below(r, 11)]);
    else if (h < 85) jw_key(w, "outcome"), jw_int(w, 1 + rng_below(r, 3));
    else jw_key(w, "driver"), jw_string(w, driver_codes[rng_below(r, 6)]);
    int c = (int)rng_below(r, 100), acc = 0, cat = 0;
    for (cat = 0; cat < 6; cat++) if (c < (acc += cat_weights[cat])) break;
    jw_key(w, "category"), jw_string(w, cat_codes[cat < 6 ? cat : 5]);
    int y0 = (int)rng_below(r, NYEARS), len = 1 + (int)rng_below(r, 3);
    if (y0 + len > NYEARS) len = NYEARS - y0;
    jw_key(w, "years");
    jw_array(w);
    for (int y = 0; y < len; y++) jw_int(w, FIRST_YEAR + y0 + y);
    jw_end(w);
    int last = y0 + len - 1; /* years before the last strategy year are mostly done */
    const char *status = last < NYEARS - 1 ? (rng_pct(r, 85) ? "completed" : "cancelled")
                         : PICK(r, ((const char *const[]){"in_progress", "in_progress", "completed",
                                                          "approved", "pilot", "on_hold", "proposed"}));
    jw_key(w, "status"), jw_string(w, status);
    snprintf(s, sizeof s, "%d-%02ld-01", FIRST_YEAR + y0, 1 + rng_below(r, 6));
    jw_key(w, "planned_start"), jw_string(w, s);
    snprintf(s, sizeof s, "%d-%02ld-%02d", FIRST_YEAR + last, 7 + rng_below(r, 6), 28);
    jw_key(w, "planned_end"), jw_string(w, s);
    long budget = (10 + rng_below(r, 90)) * 1000L * (rng_pct(r, 20) ? 10 : 1);
    jw_key(w, "budget"), jw_money(w, budget * 100);
    if (strcmp(status, "completed") == 0)
        jw_key(w, "actual_cost"), jw_money(w, budget * (80 + rng_below(r, 40)));
    jw_key(w, "currency"), jw_string(w, "USD");
    jw_key(w, "unit"), jw_string(w, PICK(r, units));
    int nl = rng_pct(r, 40) ? 1 + (int)rng_below(r, 4) : 0;
    int l0 = (int)rng_below(r, nloc);
    jw_key(w, "locations");
    jw_array(w);
    for (int k = 0; k < nl; k++) {
        char lc[32];
        gen_location_code((l0 + k * 7) % nloc, lc, sizeof lc);
        jw_object(w);
        jw_key(w, "location"), jw_string(w, lc);
        jw_key(w, "status"), jw_string(w, k == 0 || strcmp(status, "completed") == 0 ? "completed"
                                                                                      : "planned");
        jw_end(w);
    }
    jw_end(w);
    jw_key(w, "depends_on");
    jw_array(w);
    if (i > 10 && rng_pct(r, 10)) {
        long a = rng_below(r, i), b = rng_below(r, i);
        snprintf(s, sizeof s, "P%06ld", a + 1);
        jw_string(w, s);
        if (b != a && rng_pct(r, 30)) {
            snprintf(s, sizeof s, "P%06ld", b + 1);
            jw_string(w, s);
        }
    }
    jw_end(w);
    int nu = (int)rng_below(r, 3);
    jw_key(w, "updates");
    jw_array(w);
    for (int k = 0; k < nu; k++) {
        int year = FIRST_YEAR + y0 + (k < len ? k : len - 1);
        snprintf(s, sizeof s, "%d-%02d-%02ld", year, 6 + 6 * (k % 2), 10 + rng_below(r, 18));
        jw_object(w);
        jw_key(w, "date"), jw_string(w, s);
        buf_reset(t);
        gen_text(r, t, 2 + (int)rng_below(r, 3));
        jw_key(w, "text"), jw_string(w, buf_str(t));
        if (rng_pct(r, 70)) jw_key(w, "report_year"), jw_int(w, year);
        jw_end(w);
    }
    jw_end(w);
    jw_key(w, "tags");
    jw_array(w);
    int nt = (int)rng_below(r, 3), t0 = (int)rng_below(r, 10);
    for (int k = 0; k < nt; k++) jw_string(w, tags[(t0 + k * 3) % 10]);
    jw_end(w);
    jw_end(w);
    (void)n;
}

static void gen_risks(Rng *r, JsonW *w, int nrisk)
{
    char code[32];
    jw_key(w, "risks");
    jw_array(w);
    for (int i = 0; i < nrisk; i++) {
        snprintf(code, sizeof code, "R%02d", i + 1);
        jw_object(w);
        jw_key(w, "code"), jw_string(w, code);
        jw_key(w, "title"), jw_string(w, risk_titles[i % 14]);
        jw_key(w, "category"), jw_string(w, i % 3 == 0 ? "Security" : i % 3 == 1 ? "Operational"
                                                                                  : "Strategic");
        jw_key(w, "owner"), jw_string(w, PICK(r, units));
        int p = 2 + (int)rng_below(r, 4), im = 2 + (int)rng_below(r, 4);
        jw_key(w, "inherent");
        jw_object(w);
        jw_key(w, "probability"), jw_int(w, p);
        jw_key(w, "impact"), jw_int(w, im);
        jw_end(w);
        jw_key(w, "residual");
        jw_object(w);
        jw_key(w, "probability"), jw_int(w, p > 1 ? p - 1 - rng_below(r, p - 1) : 1);
        jw_key(w, "impact"), jw_int(w, im > 2 ? im - rng_below(r, 2) : im);
        jw_end(w);
        jw_key(w, "actions");
        jw_array(w);
        for (int k = 0, na = 1 + (int)rng_below(r, 3); k < na; k++) {
            char due[48];
            snprintf(due, sizeof due, "%ld-%02ld-30", FIRST_YEAR + rng_below(r, NYEARS),
                     3 + 3 * rng_below(r, 4));
            jw_object(w);
            jw_key(w, "title"), jw_string(w, PICK(r, sentences));
            jw_key(w, "status"), jw_string(w, PICK(r, ((const char *const[]){"done", "done",
                                                           "in_progress", "planned"})));
            jw_key(w, "due"), jw_string(w, due);
            jw_end(w);
        }
        jw_end(w);
        jw_key(w, "indicators");
        jw_array(w);
        snprintf(code, sizeof code, "KRI-%02d", i + 1);
        jw_string(w, code);
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
}

static void gen_services(Rng *r, JsonW *w)
{
    char code[32];
    jw_key(w, "services");
    jw_array(w);
    for (int i = 0; i < 12; i++) {
        snprintf(code, sizeof code, "SVC-%02d", i + 1);
        jw_object(w);
        jw_key(w, "code"), jw_string(w, code);
        jw_key(w, "name"), jw_string(w, services[i]);
        jw_key(w, "availability_target"), jw_double(w, i % 3 ? 99.5 : 99.9);
        jw_key(w, "response_hours"), jw_double(w, 4);
        jw_key(w, "resolution_hours"), jw_double(w, 24);
        jw_key(w, "measurements");
        jw_array(w);
        for (int m = 0; m < NYEARS * 12; m++) {
            char period[16];
            snprintf(period, sizeof period, "%d-%02d", FIRST_YEAR + m / 12, m % 12 + 1);
            jw_object(w);
            jw_key(w, "period"), jw_string(w, period);
            /* Most months meet their targets; about one in eight misses each. */
            double target = i % 3 ? 99.5 : 99.9;
            double avail = rng_below(r, 8) == 0
                               ? target - (double)(1 + rng_below(r, 40)) / 100.0
                               : target + (double)rng_below(r, (long)((99.99 - target) * 100) + 1) / 100.0;
            double resp = rng_below(r, 10) == 0 ? (double)(41 + rng_below(r, 40)) / 10.0
                                                : (double)(5 + rng_below(r, 35)) / 10.0;
            double resol = rng_below(r, 10) == 0 ? (double)(245 + rng_below(r, 235)) / 10.0
                                                 : (double)(60 + rng_below(r, 180)) / 10.0;
            jw_key(w, "availability"), jw_double(w, avail);
            jw_key(w, "response_hours"), jw_double(w, resp);
            jw_key(w, "resolution_hours"), jw_double(w, resol);
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
}

static void gen_expenditure(Rng *r, JsonW *w, long nprojects)
{
    static const char *const cats[] = {"Staff", "Infrastructure", "Software licences",
                                       "Cloud services", "Contractors", "Training"};
    jw_key(w, "expenditure");
    jw_array(w);
    for (int y = 0; y < NYEARS; y++)
        for (int c = 0; c < 6; c++)
            for (int u = 0; u < 4; u++) {
                jw_object(w);
                jw_key(w, "year"), jw_int(w, FIRST_YEAR + y);
                jw_key(w, "category"), jw_string(w, cats[c]);
                jw_key(w, "unit"), jw_string(w, units[u]);
                jw_key(w, "amount"), jw_money(w, (50000 + rng_below(r, 2000000)) * 100);
                jw_end(w);
            }
    for (long i = 0; i < nprojects / 50; i++) {
        char code[32];
        snprintf(code, sizeof code, "P%06ld", 1 + rng_below(r, nprojects));
        jw_object(w);
        jw_key(w, "year"), jw_int(w, FIRST_YEAR + rng_below(r, NYEARS));
        jw_key(w, "category"), jw_string(w, "Contractors");
        jw_key(w, "amount"), jw_money(w, (1000 + rng_below(r, 100000)) * 100 + rng_below(r, 100));
        jw_key(w, "project"), jw_string(w, code);
        jw_end(w);
        jw_flush(w);
    }
    jw_end(w);
}

static void gen_governance(Rng *r, JsonW *w, long nprojects)
{
    static const char *const kinds[] = {"approve", "prioritize", "hold", "guidance", "approve"};
    jw_key(w, "committees");
    jw_array(w);
    jw_object(w);
    jw_key(w, "code"), jw_string(w, "ITGC");
    jw_key(w, "name"), jw_string(w, "Information Technology Governance Committee");
    jw_key(w, "charter"), jw_string(w, "Decides on the IT work plan, priorities and investments.");
    jw_key(w, "meetings");
    jw_array(w);
    for (int m = 0; m < NYEARS * 4; m++) {
        char date[16];
        snprintf(date, sizeof date, "%d-%02d-15", FIRST_YEAR + m / 4, 2 + 3 * (m % 4));
        jw_object(w);
        jw_key(w, "date"), jw_string(w, date);
        jw_key(w, "decisions");
        jw_array(w);
        for (int d = 0, nd = 2 + (int)rng_below(r, 3); d < nd; d++) {
            const char *kind = PICK(r, kinds);
            jw_object(w);
            jw_key(w, "text"), jw_string(w, PICK(r, sentences));
            jw_key(w, "kind"), jw_string(w, kind);
            jw_key(w, "projects");
            jw_array(w);
            char code[32];
            snprintf(code, sizeof code, "P%06ld", 1 + rng_below(r, nprojects));
            jw_string(w, code);
            jw_end(w);
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
    jw_end(w);
}

static void gen_reports(JsonW *w, const char *code)
{
    char s[160];
    jw_key(w, "reports");
    jw_array(w);
    for (int y = 0; y < NYEARS; y++) {
        int final = y == NYEARS - 1;
        jw_object(w);
        jw_key(w, "year"), jw_int(w, FIRST_YEAR + y);
        if (final) jw_key(w, "final"), jw_bool(w, 1);
        jw_key(w, "body"), jw_string(w, "Governing Body");
        int session = 340 + 3 * y, last2 = session % 100;
        const char *suffix = last2 >= 11 && last2 <= 13 ? "th"
                             : session % 10 == 1        ? "st"
                             : session % 10 == 2        ? "nd"
                             : session % 10 == 3        ? "rd"
                                                        : "th";
        snprintf(s, sizeof s, "%d%s Session, March %d", session, suffix, FIRST_YEAR + y + 1);
        jw_key(w, "session"), jw_string(w, s);
        snprintf(s, sizeof s, "%d-02-14", FIRST_YEAR + y + 1);
        jw_key(w, "date"), jw_string(w, s);
        snprintf(s, sizeof s, "GB.%d/PFA/INF/%d", 340 + 3 * y, 2 + y % 2);
        jw_key(w, "symbol"), jw_string(w, s);
        jw_key(w, "section"), jw_string(w, "Programme, Financial and Administrative Section");
        jw_key(w, "section_code"), jw_string(w, "PFA");
        jw_key(w, "original_language"), jw_string(w, "English");
        snprintf(s, sizeof s, "%s report on the implementation of strategy %s",
                 final ? "Final" : "Progress", code);
        jw_key(w, "title"), jw_string(w, s);
        jw_key(w, "author_unit"), jw_string(w, "Information Technology Department (INFOTEC)");
        jw_end(w);
    }
    jw_end(w);
}

int gen_strategy(const GenSpec *spec, JsonW *w)
{
    Rng r = {spec->seed * 0x2545F4914F6CDD1DULL + 1};
    char code[40], title[96];
    if (spec->code) snprintf(code, sizeof code, "%s", spec->code);
    else snprintf(code, sizeof code, "GEN-%llu", (unsigned long long)spec->seed);
    snprintf(title, sizeof title, "Synthetic IT Strategy %d\xE2\x80\x93%02d", FIRST_YEAR,
             (FIRST_YEAR + NYEARS - 1) % 100);
    int nrisk = 14 + (int)(spec->projects / 2000 > 36 ? 36 : spec->projects / 2000);
    Buf t = BUF_INIT;
    jw_object(w);
    jw_key(w, "format"), jw_string(w, "itstrat/1");
    jw_key(w, "strategy");
    jw_object(w);
    jw_key(w, "code"), jw_string(w, code);
    jw_key(w, "title"), jw_string(w, title);
    jw_key(w, "organization"), jw_string(w, "Example Organization");
    jw_key(w, "first_year"), jw_int(w, FIRST_YEAR);
    jw_key(w, "last_year"), jw_int(w, FIRST_YEAR + NYEARS - 1);
    jw_key(w, "biennium_start"), jw_string(w, "even");
    jw_key(w, "summary"), jw_string(w, "A generated strategy for benchmarks and load tests.");
    jw_key(w, "currency"), jw_string(w, "USD");
    jw_key(w, "public"), jw_bool(w, 1);
    gen_categories(w);
    jw_end(w);
    int nloc;
    gen_locations(w, &nloc);
    gen_outcomes(&r, w);
    gen_indicators(&r, w, nrisk);
    jw_key(w, "projects");
    jw_array(w);
    for (long i = 0; i < spec->projects; i++) {
        gen_project(&r, w, i, spec->projects, nloc, &t);
        jw_flush(w);
    }
    jw_end(w);
    gen_risks(&r, w, nrisk);
    gen_services(&r, w);
    gen_expenditure(&r, w, spec->projects);
    gen_governance(&r, w, spec->projects);
    gen_reports(w, code);
    jw_end(w);
    buf_free(&t);
    return jw_finish(w);
}
