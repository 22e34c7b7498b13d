/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarative command-line options (after xdp-tools' option tables, without
 * its macros): each command describes its arguments in a table of
 * struct opt_spec bound by offset to its own options struct, and
 * opts_parse() fills the struct and reports usage errors. The same table
 * generates the command's usage text.
 *
 * Every command also accepts the common options -j/--json, -p/--pretty,
 * -v/--verbose and -h/--help, anywhere on its command line.
 */
#ifndef PPXDP_OPTIONS_H
#define PPXDP_OPTIONS_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum opt_type {
	OPT_BOOL,   /* bool, a flag without value */
	OPT_STRING, /* const char *, points into argv */
	OPT_U32,    /* __u32, decimal or 0x-prefixed hex */
	OPT_DOUBLE, /* double, finite */
	OPT_ENUM,   /* unsigned int, the value of one of .enums */
	OPT_IFNAME, /* struct opt_iface, must exist in the current netns */
	OPT_IFLIST, /* struct opt_iflist: IF[,IF...], each exists, no repeats */
};

struct opt_enum {
	const char *name;
	unsigned int value;
};

struct opt_iface {
	char name[IF_NAMESIZE];
	int ifindex; /* 0 when not given */
};

#define OPT_IFLIST_MAX 64

struct opt_iflist {
	unsigned int nr; /* 0 when not given */
	struct opt_iface ifs[OPT_IFLIST_MAX];
};

enum opt_flags {
	OPT_POSITIONAL = 1 << 0, /* bare word, matched in table order */
	OPT_REQUIRED = 1 << 1,
};

struct opt_spec {
	const char *name;             /* long name; metavar of a positional */
	char short_name;              /* 0: none */
	enum opt_type type;
	unsigned int flags;           /* enum opt_flags */
	size_t offset;                /* of the bound field in the struct */
	const char *metavar;          /* value placeholder in usage ("S") */
	const struct opt_enum *enums; /* OPT_ENUM, ends with { NULL } */
	double min, max;              /* OPT_U32/OPT_DOUBLE range if min < max */
	const char *help;
};

struct opt_cmd {
	const char *name;             /* "attach" */
	const char *summary;          /* one line for the top-level help */
	const struct opt_spec *specs; /* ends with { NULL } */
};

/* opts_parse() return value when --help was given and usage printed. */
#define OPTS_HELP 1

/*
 * Parse argv (argv[0] is the first word after the command name) into cfg
 * according to cmd->specs. Fields of options not given keep the value the
 * caller put there. Returns 0, OPTS_HELP, or -EINVAL after reporting the
 * mistake with p_usage_err().
 */
int opts_parse(const struct opt_cmd *cmd, void *cfg, int argc, char **argv);

/* "ppxdp attach IF PROG [--mode native|generic|auto] ..." */
void opts_synopsis(const struct opt_cmd *cmd, FILE *f);
/* Synopsis followed by one line per argument and the common options. */
void opts_usage(const struct opt_cmd *cmd, FILE *f);

/* Look up an enum value by exact name; -EINVAL when absent. */
int opt_enum_lookup(const struct opt_enum *enums, const char *name,
		    unsigned int *value);
const char *opt_enum_name(const struct opt_enum *enums, unsigned int value);

/* Switch output to JSON on stdout (idempotent); -ENOMEM on failure. */
int json_output_enable(bool pretty);
/* -v: libbpf's debug messages on stderr; otherwise libbpf stays silent. */
void verbose_enable(bool on);

/* XDP actions a user may name (drop, pass, tx). */
extern const struct opt_enum xdp_action_names[];

/* Option tables of the commands, for the top-level usage text. */
extern const struct opt_cmd attach_cmd;
extern const struct opt_cmd detach_cmd;
extern const struct opt_cmd status_cmd;

#endif /* PPXDP_OPTIONS_H */
