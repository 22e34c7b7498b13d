/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ppxdp CLI: globals and command dispatch, in the style of bpftool.
 * Every command lives in loader/<cmd>.c and exports do_<cmd>(argc, argv);
 * argv[0] is the first word after the command name. Internal functions
 * return 0 or a negative errno; do_<cmd>() returns 0 or a negative errno,
 * and main() maps that to the exit code.
 */
#ifndef PPXDP_MAIN_H
#define PPXDP_MAIN_H

#include <stdbool.h>
#include <stddef.h>
#include "json_writer.h"

#define PPXDP_PIN_ROOT "/sys/fs/bpf/ppxdp"
#define PPXDP_BPFFS "/sys/fs/bpf"

extern const char *bin_name; /* "ppxdp" */
extern bool verbose;         /* -v: libbpf's own messages */
extern bool json_output;     /* -j/--json */
extern bool pretty_output;   /* -p/--pretty: indented JSON */
extern json_writer_t *json_wtr; /* stdout writer when json_output */

/* Errors go to stderr as "Error: ...", or as {"error": "..."} with --json. */
void p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Warnings and notes always go to stderr, prefixed "Warning: " / "Note: ". */
void p_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void p_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * A command-line mistake: p_err(), remembered so that main() exits with
 * status 2 instead of 1. Returns -EINVAL.
 */
int p_usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern bool usage_error;

struct cmd {
	const char *name;
	int (*func)(int argc, char **argv);
};

bool is_prefix(const char *pfx, const char *str);
/* Dispatch argv[0] by unique prefix among cmds; help when argc == 0. */
int cmd_select(const struct cmd *cmds, int argc, char **argv,
	       int (*help)(int argc, char **argv));

/* Top-level commands. */
int do_attach(int argc, char **argv);
int do_detach(int argc, char **argv);
int do_status(int argc, char **argv);
int do_rules(int argc, char **argv);
int do_trace(int argc, char **argv);
int do_gen(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_leaks(int argc, char **argv);

#endif /* PPXDP_MAIN_H */
